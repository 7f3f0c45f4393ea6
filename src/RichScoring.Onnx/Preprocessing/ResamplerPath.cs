using System.Runtime.Intrinsics.X86;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>Which kernels <see cref="PilResampler"/> runs; all give identical results.</summary>
internal enum ResamplerPath
{
    /// <summary>Plain integer loops, as PIL's C.</summary>
    Scalar,

    /// <summary>AVX2: two source pixels (8 lanes) per multiply.</summary>
    Avx2,
}

/// <summary>Picks the widest <see cref="ResamplerPath"/> the processor runs.</summary>
internal static class ResamplerPaths
{
    /// <summary>The widest supported path.</summary>
    public static ResamplerPath Best { get; } = Avx2.IsSupported ? ResamplerPath.Avx2 : ResamplerPath.Scalar;

    /// <summary>Whether the processor runs <paramref name="path"/>.</summary>
    public static bool IsSupported(ResamplerPath path) => path != ResamplerPath.Avx2 || Avx2.IsSupported;
}
