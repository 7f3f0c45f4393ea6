namespace RichScoring.Numerics;

/// <summary>The vector width a kernel runs at; the public methods pick the widest one the hardware accelerates.</summary>
internal enum SimdPath
{
    /// <summary>Plain scalar loops.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (4 floats).</summary>
    Vector128 = 1,

    /// <summary>256-bit vectors (8 floats).</summary>
    Vector256 = 2,

    /// <summary>512-bit vectors (16 floats).</summary>
    Vector512 = 3,
}
