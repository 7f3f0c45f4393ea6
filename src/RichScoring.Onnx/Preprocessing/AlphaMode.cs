namespace RichScoring.Onnx.Preprocessing;

/// <summary>How transparency becomes RGB before resizing.</summary>
public enum AlphaMode
{
    /// <summary>
    /// Composite every pixel over <see cref="ImageDecodeOptions.Background"/> (white by default):
    /// <c>rgb = round((rgb·a + background·(255 − a)) / 255)</c>. What a person sees in a browser; the default.
    /// </summary>
    CompositeOnBackground = 0,

    /// <summary>
    /// Drop the alpha channel and keep the RGB values stored under it, as PIL's <c>convert("RGB")</c> does: fully
    /// transparent pixels show whatever colour the encoder left there (often black). Note that OpenAI's reference
    /// resizes RGBA images premultiplied and converts afterwards, so semi-transparent edges can still differ slightly.
    /// </summary>
    DropAlpha = 1,
}
