namespace RichScoring;

/// <summary>Why an image could not be used; carried by <see cref="InvalidImageException"/>.</summary>
public enum ImageErrorKind
{
    /// <summary>Not classified.</summary>
    Unknown = 0,

    /// <summary>No bytes at all (an empty response or file).</summary>
    Empty,

    /// <summary>The bytes are something else: an HTML page, JSON, XML, plain text, a PDF, an archive or unrecognised data.</summary>
    NotAnImage,

    /// <summary>An image format the decoder cannot read (for example AVIF, HEIC, SVG, ICO), or an unsupported variant of a known one.</summary>
    UnsupportedFormat,

    /// <summary>A known format whose data is truncated or cannot be decoded.</summary>
    Corrupt,

    /// <summary>The header declares more pixels than the configured limit; refused before decoding.</summary>
    TooLarge,

    /// <summary>The header declares a width or height of zero.</summary>
    ZeroSize,
}
