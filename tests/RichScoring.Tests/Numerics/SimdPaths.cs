using RichScoring.Numerics;

namespace RichScoring.Tests.Numerics;

/// <summary>The kernel widths the tests force.</summary>
internal static class SimdPaths
{
    /// <summary>
    /// Every path. A width the hardware does not accelerate still runs, through .NET's software implementation of the
    /// vector types (slow but exact), so the kernel logic for every width (offsets, masks, tails) is checked on any
    /// machine; the public methods never choose such a width.
    /// </summary>
    public static readonly SimdPath[] All = [SimdPath.Scalar, SimdPath.Vector128, SimdPath.Vector256, SimdPath.Vector512];

    public static string Describe(SimdPath path) => Simd.IsAccelerated(path) ? path.ToString() : $"{path} (software)";
}
