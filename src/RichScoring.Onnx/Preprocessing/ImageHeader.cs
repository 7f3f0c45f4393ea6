namespace RichScoring.Onnx.Preprocessing;

/// <summary>What the header of an accepted image says (stored orientation, before any EXIF rotation).</summary>
/// <param name="Format">ImageSharp's format name (JPEG, PNG, GIF, BMP, TIFF, WebP, TGA, PBM).</param>
/// <param name="Width">Stored width.</param>
/// <param name="Height">Stored height.</param>
/// <param name="Orientation">EXIF orientation 1..8 that will be applied (1 when none or when orientation is not applied).</param>
internal readonly record struct ImageHeader(string Format, int Width, int Height, int Orientation)
{
    /// <summary>Whether the orientation swaps width and height (5..8: the transposing ones).</summary>
    public bool Transposes => Orientation is >= 5 and <= 8;

    /// <summary>Width as displayed.</summary>
    public int DisplayWidth => Transposes ? Height : Width;

    /// <summary>Height as displayed.</summary>
    public int DisplayHeight => Transposes ? Width : Height;

    /// <summary>The format in lower case, as <see cref="ImageMetadata.Format"/> names it.</summary>
    public string FormatLowerCase => Format switch
    {
        "JPEG" => "jpeg",
        "PNG" => "png",
        "GIF" => "gif",
        "BMP" => "bmp",
        "TIFF" => "tiff",
        "WebP" => "webp",
        "TGA" => "tga",
        "PBM" => "pbm",
        _ => Format,
    };

    /// <summary>The metadata record for a payload of <paramref name="byteLength"/> bytes.</summary>
    public ImageMetadata ToMetadata(long byteLength) => new()
    {
        Width = DisplayWidth,
        Height = DisplayHeight,
        ByteLength = byteLength,
        Format = FormatLowerCase,
    };
}
