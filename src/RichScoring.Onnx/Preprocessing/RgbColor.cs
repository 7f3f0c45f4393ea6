namespace RichScoring.Onnx.Preprocessing;

/// <summary>An opaque 8-bit colour (the background transparent pixels are composited on).</summary>
internal readonly record struct RgbColor(byte R, byte G, byte B);
