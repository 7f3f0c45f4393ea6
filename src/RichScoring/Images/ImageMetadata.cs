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

    /// <summary>The image's title, as the search or list gave it.</summary>
    public string? Title { get; init; }

    /// <summary>The licence in short form (for example <c>CC BY-SA 2.0</c>, <c>CC0 1.0</c>), as the source states it.</summary>
    public string? License { get; init; }

    /// <summary>A link to the licence's deed or legal text.</summary>
    public Uri? LicenseUrl { get; init; }

    /// <summary>The author or owner of the image, as the source names them.</summary>
    public string? Creator { get; init; }

    /// <summary>A link to the author's page.</summary>
    public Uri? CreatorUrl { get; init; }

    /// <summary>The web page the image is shown on (where to attribute and check it), as opposed to the image file itself.</summary>
    public Uri? LandingPage { get; init; }

    /// <summary>A small preview of the image, when the source offers one.</summary>
    public Uri? ThumbnailUrl { get; init; }
}
