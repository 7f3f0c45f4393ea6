namespace RichScoring;

/// <summary>What the first bytes of a payload look like, before any decoder sees it.</summary>
internal enum SniffKind
{
    /// <summary>Nothing recognised; the decoders get a chance (TGA, for one, has no signature).</summary>
    Unknown,

    /// <summary>A signature of a format the decoders read.</summary>
    Image,

    /// <summary>A signature of an image format the decoders cannot read.</summary>
    UnsupportedImage,

    /// <summary>Something that is not an image: a web page, JSON, text, a document or an archive.</summary>
    NotAnImage,
}
