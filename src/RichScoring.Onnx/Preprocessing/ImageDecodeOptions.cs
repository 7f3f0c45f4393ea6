using System.Drawing;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>How <see cref="ImagePreprocessor"/> decodes and guards images before preprocessing.</summary>
public sealed class ImageDecodeOptions
{
    /// <summary>The defaults: 50 MP limit, alpha composited on white, EXIF orientation applied.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>
    /// What OpenAI's reference preprocessing does: alpha dropped (<see cref="AlphaMode.DropAlpha"/>) and EXIF
    /// orientation ignored. Use it to reproduce reference tensors.
    /// </summary>
    public static ImageDecodeOptions Reference { get; } = new() { AlphaMode = AlphaMode.DropAlpha, ApplyExifOrientation = false };

    /// <summary>
    /// The most pixels (width × height, from the file header) an image may have; larger ones are refused before any
    /// pixel is decoded (<see cref="ImageErrorKind.TooLarge"/>). Default 50,000,000.
    /// </summary>
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>How transparency becomes RGB. Default <see cref="AlphaMode.CompositeOnBackground"/>.</summary>
    public AlphaMode AlphaMode { get; init; } = AlphaMode.CompositeOnBackground;

    /// <summary>The colour transparent pixels are composited on (its alpha is ignored). Default white.</summary>
    public Color Background { get; init; } = Color.White;

    /// <summary>
    /// Whether to rotate/flip by the EXIF orientation tag, as viewers do (a phone photo taken upright has tag 6).
    /// Default true. OpenAI's reference preprocessing does not apply it.
    /// </summary>
    public bool ApplyExifOrientation { get; init; } = true;
}
