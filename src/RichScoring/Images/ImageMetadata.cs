namespace RichScoring;

/// <summary>What is known about a candidate image without looking at its pixels: size, bytes, format and origin.</summary>
/// <remarks>Heuristic scorers and filters read it; every property is optional because sources know different things.</remarks>
public sealed record ImageMetadata
{
    /// <summary>Width in pixels.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels.</summary>
    public int? Height { get; init; }

    /// <summary>Size of the encoded file in bytes.</summary>
    public long? ByteLength { get; init; }

    /// <summary>The file format as identified from its content (for example <c>jpeg</c>, <c>png</c>).</summary>
    public string? Format { get; init; }

    /// <summary>Where the image came from (a URL or a file path).</summary>
    public Uri? Source { get; init; }

    /// <summary>The host the image was found on, used by domain allow/deny lists and weights.</summary>
    public string? SourceDomain { get; init; }
}
