using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>
/// This core's fp32 FMA peak, measured in the same run as the kernel it is compared with: register-only fused
/// multiply-adds on twelve independent chains (enough to hide the FMA latency on both FMA pipes), no loads, no
/// stores. The clock of a shared VM moves from run to run, so "% of peak" is only honest against a peak taken beside.
/// </summary>
internal static class FmaPeak
{
    /// <summary>Independent accumulators: latency 4 × 2 pipes needs at least 8; the kernel itself keeps 12.</summary>
    private const int Chains = 12;

    /// <summary>
    /// Executes at least <paramref name="flops"/> floating-point operations (an FMA counts as two per lane) with the
    /// widest hardware-accelerated FMA there is and returns a value that depends on every one of them.
    /// </summary>
    public static float Run(long flops)
    {
        if (Avx512F.IsSupported)
        {
            return Run512(Iterations(flops, Vector512<float>.Count));
        }

        if (Fma.IsSupported)
        {
            return Run256(Iterations(flops, Vector256<float>.Count));
        }

        throw new PlatformNotSupportedException("The FMA peak benchmark needs x86 FMA3 or AVX-512.");
    }

    private static long Iterations(long flops, int lanes) => (flops + (2L * lanes * Chains) - 1) / (2L * lanes * Chains);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run256(long iterations)
    {
        var a = Vector256.Create(0.999999f);
        var b = Vector256.Create(1e-7f);
        Vector256<float> s0 = Vector256.Create(1f), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        Vector256<float> s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (var i = 0L; i < iterations; i++)
        {
            s0 = Fma.MultiplyAdd(s0, a, b);
            s1 = Fma.MultiplyAdd(s1, a, b);
            s2 = Fma.MultiplyAdd(s2, a, b);
            s3 = Fma.MultiplyAdd(s3, a, b);
            s4 = Fma.MultiplyAdd(s4, a, b);
            s5 = Fma.MultiplyAdd(s5, a, b);
            s6 = Fma.MultiplyAdd(s6, a, b);
            s7 = Fma.MultiplyAdd(s7, a, b);
            s8 = Fma.MultiplyAdd(s8, a, b);
            s9 = Fma.MultiplyAdd(s9, a, b);
            s10 = Fma.MultiplyAdd(s10, a, b);
            s11 = Fma.MultiplyAdd(s11, a, b);
        }

        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run512(long iterations)
    {
        var a = Vector512.Create(0.999999f);
        var b = Vector512.Create(1e-7f);
        Vector512<float> s0 = Vector512.Create(1f), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        Vector512<float> s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (var i = 0L; i < iterations; i++)
        {
            s0 = Avx512F.FusedMultiplyAdd(s0, a, b);
            s1 = Avx512F.FusedMultiplyAdd(s1, a, b);
            s2 = Avx512F.FusedMultiplyAdd(s2, a, b);
            s3 = Avx512F.FusedMultiplyAdd(s3, a, b);
            s4 = Avx512F.FusedMultiplyAdd(s4, a, b);
            s5 = Avx512F.FusedMultiplyAdd(s5, a, b);
            s6 = Avx512F.FusedMultiplyAdd(s6, a, b);
            s7 = Avx512F.FusedMultiplyAdd(s7, a, b);
            s8 = Avx512F.FusedMultiplyAdd(s8, a, b);
            s9 = Avx512F.FusedMultiplyAdd(s9, a, b);
            s10 = Avx512F.FusedMultiplyAdd(s10, a, b);
            s11 = Avx512F.FusedMultiplyAdd(s11, a, b);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }
}
