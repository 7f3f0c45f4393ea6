using System.Runtime.Intrinsics;
using RichScoring.Numerics;

namespace RichScoring.Tests.Numerics;

public class SimdPathTests
{
    [Fact]
    public void BestIsTheWidestAcceleratedWidth()
    {
        var expected = Vector512.IsHardwareAccelerated ? SimdPath.Vector512
            : Vector256.IsHardwareAccelerated ? SimdPath.Vector256
            : Vector128.IsHardwareAccelerated ? SimdPath.Vector128
            : SimdPath.Scalar;
        Assert.Equal(expected, Simd.Best);
        Assert.True(Simd.IsAccelerated(Simd.Best));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 0)]
    [InlineData(4, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(15, 2)]
    [InlineData(16, 3)]
    [InlineData(1000, 3)]
    public void FitNarrowsUntilOneVectorFits(int length, int expectedPath) =>
        Assert.Equal((SimdPath)expectedPath, Simd.Fit(SimdPath.Vector512, length));
}
