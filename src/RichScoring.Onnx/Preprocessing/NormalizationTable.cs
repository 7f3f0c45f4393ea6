namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// The float every 8-bit value of every channel becomes: <c>(v / 255 − mean) / std</c>, computed in float32 in the
/// order torchvision's ToTensor + Normalize compute it, so a table lookup gives the reference's exact bits.
/// </summary>
internal static class NormalizationTable
{
    /// <summary>768 floats: channel c's value v at <c>c * 256 + v</c>.</summary>
    public static float[] Create(PreprocessorConfig config)
    {
        var table = new float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            for (var v = 0; v < 256; v++)
            {
                float x = v;
                if (config.DoRescale)
                {
                    // torchvision divides by 255 in float32; other factors are applied as given.
                    x = config.RescaleFactor == 1.0 / 255.0 ? v / 255f : (float)(v * config.RescaleFactor);
                }

                if (config.DoNormalize)
                {
                    x = (x - config.ImageMean[c]) / config.ImageStd[c];
                }

                table[(c * 256) + v] = x;
            }
        }

        return table;
    }
}
