using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RichScoring.Numerics;

/// <summary>Chooses a <see cref="SimdPath"/>.</summary>
internal static class Simd
{
    /// <summary>The widest path the hardware accelerates (never a width that would run in software).</summary>
    public static SimdPath Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512
        : Vector256.IsHardwareAccelerated ? SimdPath.Vector256
        : Vector128.IsHardwareAccelerated ? SimdPath.Vector128
        : SimdPath.Scalar;

    /// <summary>Whether the hardware accelerates <paramref name="path"/>.</summary>
    public static bool IsAccelerated(SimdPath path) => path switch
    {
        SimdPath.Vector512 => Vector512.IsHardwareAccelerated,
        SimdPath.Vector256 => Vector256.IsHardwareAccelerated,
        SimdPath.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>Number of floats in one vector of <paramref name="path"/> (1 for scalar).</summary>
    public static int Width(SimdPath path) => path switch
    {
        SimdPath.Vector512 => 16,
        SimdPath.Vector256 => 8,
        SimdPath.Vector128 => 4,
        _ => 1,
    };

    /// <summary>
    /// Narrows <paramref name="path"/> until one vector fits in <paramref name="length"/> elements: the kernels handle
    /// a ragged end with one masked, overlapping vector, which needs at least one full vector of data.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdPath Fit(SimdPath path, int length)
    {
        while (path != SimdPath.Scalar && Width(path) > length)
        {
            path--;
        }

        return path;
    }
}
