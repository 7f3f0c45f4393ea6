namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// Resampling filters, numbered as PIL numbers them (the <c>resample</c> field of a Hugging Face
/// <c>preprocessor_config.json</c>). All are computed exactly as PIL's <c>Image.resize</c> computes them,
/// with antialiasing when downscaling.
/// </summary>
public enum ResampleFilter
{
    /// <summary>Nearest neighbour (PIL 0).</summary>
    Nearest = 0,

    /// <summary>Lanczos, 3 lobes (PIL 1).</summary>
    Lanczos = 1,

    /// <summary>Bilinear / triangle (PIL 2).</summary>
    Bilinear = 2,

    /// <summary>Bicubic convolution with a = -0.5 (PIL 3); what CLIP and SigLIP use.</summary>
    Bicubic = 3,

    /// <summary>Box (PIL 4).</summary>
    Box = 4,

    /// <summary>Hamming-windowed sinc (PIL 5).</summary>
    Hamming = 5,
}
