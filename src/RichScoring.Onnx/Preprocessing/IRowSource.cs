namespace RichScoring.Onnx.Preprocessing;

/// <summary>Rows of an 8-bit RGBA image (4 bytes per pixel, any alpha), read and possibly edited in place.</summary>
internal interface IRowSource
{
    /// <summary>Width in pixels.</summary>
    int Width { get; }

    /// <summary>Height in pixels.</summary>
    int Height { get; }

    /// <summary>Row <paramref name="y"/>, <see cref="Width"/> × 4 bytes.</summary>
    Span<byte> GetRow(int y);
}
