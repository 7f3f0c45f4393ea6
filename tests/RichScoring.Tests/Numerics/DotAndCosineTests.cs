using RichScoring.Numerics;
using static RichScoring.Tests.Numerics.NumericsReference;

namespace RichScoring.Tests.Numerics;

public class DotAndCosineTests
{
    [Fact]
    public void DotMatchesTheReferenceAtEveryLengthOnEveryPath()
    {
        for (var length = 0; length <= 256; length++)
        {
            var x = NumericsReference.Random(length, length);
            var y = NumericsReference.Random(length, 1000 + length);
            var expected = NumericsReference.Dot(x, y);
            var tolerance = DotTolerance(x, y);
            var results = new float[SimdPaths.All.Length];
            for (var p = 0; p < SimdPaths.All.Length; p++)
            {
                var path = SimdPaths.All[p];
                results[p] = EmbeddingMath.Dot(x, y, path);
                if (!(Math.Abs(results[p] - expected) <= tolerance))
                {
                    Assert.Fail($"length {length}, {SimdPaths.Describe(path)}: {results[p]} vs {expected}");
                }
            }

            // The paths differ only in summation order, so they agree with each other within twice the bound.
            if (!(results.Max() - results.Min() <= 2 * tolerance))
            {
                Assert.Fail($"length {length}: paths disagree ({string.Join(", ", results)})");
            }
        }

        Assert.Equal(NumericsReference.Dot([1, 2, 3], [4, 5, 6]), EmbeddingMath.Dot([1, 2, 3], [4, 5, 6]));
    }

    [Fact]
    public void DotKeepsLargeValuesWithinTheRelativeBound()
    {
        // Magnitudes around 1e3 and mixed signs: an absolute tolerance would be meaningless here.
        var x = NumericsReference.Random(1000, 1).Select(v => v * 1000).ToArray();
        var y = NumericsReference.Random(1000, 2).Select(v => v * 3000).ToArray();
        foreach (var path in SimdPaths.All)
        {
            Assert.True(Math.Abs(EmbeddingMath.Dot(x, y, path) - NumericsReference.Dot(x, y)) <= DotTolerance(x, y), SimdPaths.Describe(path));
        }
    }

    [Fact]
    public void DotRejectsDifferentLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => EmbeddingMath.Dot(new float[3], new float[4]));
        Assert.Equal("y", ex.ParamName);
        Assert.Throws<ArgumentException>(() => EmbeddingMath.Cosine(new float[3], new float[4]));
    }

    [Fact]
    public void DotPropagatesNaNAndInfinityAsIeeeArithmetic()
    {
        foreach (var path in SimdPaths.All)
        {
            foreach (var length in new[] { 1, 5, 8, 17, 100 })
            {
                for (var position = 0; position < length; position += Math.Max(1, length / 7))
                {
                    var x = Enumerable.Repeat(1f, length).ToArray();
                    var y = Enumerable.Repeat(1f, length).ToArray();
                    var what = $"{SimdPaths.Describe(path)}, length {length}, position {position}";

                    x[position] = float.NaN;
                    Assert.True(float.IsNaN(EmbeddingMath.Dot(x, y, path)), what);

                    x[position] = float.PositiveInfinity;
                    Assert.Equal(float.PositiveInfinity, EmbeddingMath.Dot(x, y, path));

                    y[position] = -1;
                    Assert.Equal(float.NegativeInfinity, EmbeddingMath.Dot(x, y, path));

                    y[position] = 0; // Inf · 0
                    Assert.True(float.IsNaN(EmbeddingMath.Dot(x, y, path)), what);

                    if (length > 1)
                    {
                        // Inf − Inf
                        y[position] = 1;
                        var other = (position + 1) % length;
                        x[other] = float.NegativeInfinity;
                        Assert.True(float.IsNaN(EmbeddingMath.Dot(x, y, path)), what);
                    }
                }
            }
        }
    }

    [Fact]
    public void EmptyVectorsGiveZero()
    {
        Assert.Equal(0f, EmbeddingMath.Dot([], []));
        Assert.Equal(0f, EmbeddingMath.Cosine([], []));
    }

    [Fact]
    public void CosineMatchesTheReferenceAtEveryLengthOnEveryPath()
    {
        for (var length = 1; length <= 256; length++)
        {
            var x = NumericsReference.Random(length, 7 * length);
            var y = NumericsReference.Random(length, (7 * length) + 1);
            var expected = Cosine(x, y);

            // |x·y error| ≤ γₙ·Σ|xᵢyᵢ| ≤ γₙ·‖x‖‖y‖ (Cauchy–Schwarz), plus a few roundings for the norms and the division.
            var tolerance = (length + 8) * Epsilon;
            foreach (var path in SimdPaths.All)
            {
                var actual = EmbeddingMath.Cosine(x, y, path);
                if (!(Math.Abs(actual - expected) <= tolerance))
                {
                    Assert.Fail($"length {length}, {SimdPaths.Describe(path)}: {actual} vs {expected}");
                }
            }
        }
    }

    [Fact]
    public void CosineOfAVectorWithItselfOrItsOppositeIsClampedToOne()
    {
        var x = NumericsReference.Random(513, 3);
        var minus = x.Select(v => -v).ToArray();
        foreach (var path in SimdPaths.All)
        {
            var self = EmbeddingMath.Cosine(x, x, path);
            var opposite = EmbeddingMath.Cosine(x, minus, path);
            Assert.InRange(self, 1 - (600 * Epsilon), 1f);
            Assert.InRange(opposite, -1f, -1 + (600 * Epsilon));
        }
    }

    [Fact]
    public void CosineIsZeroWhenEitherNormIsZero()
    {
        foreach (var path in SimdPaths.All)
        {
            foreach (var length in new[] { 1, 4, 9, 33 })
            {
                var zero = new float[length];
                var x = NumericsReference.Random(length, length);
                Assert.Equal(0f, EmbeddingMath.Cosine(zero, x, path));
                Assert.Equal(0f, EmbeddingMath.Cosine(x, zero, path));
                Assert.Equal(0f, EmbeddingMath.Cosine(zero, zero, path));
            }
        }
    }

    [Fact]
    public void CosineIsNaNWhenEitherVectorHoldsNaNOrInfinity()
    {
        foreach (var path in SimdPaths.All)
        {
            foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                foreach (var length in new[] { 1, 4, 9, 33 })
                {
                    var x = NumericsReference.Random(length, length);
                    var y = NumericsReference.Random(length, length + 1);
                    y[length / 2] = bad;
                    if (!(float.IsNaN(EmbeddingMath.Cosine(x, y, path))))
                    {
                        Assert.Fail($"{bad} {length} {path}");
                    }

                    if (!(float.IsNaN(EmbeddingMath.Cosine(y, x, path))))
                    {
                        Assert.Fail($"{bad} {length} {path}");
                    }

                    if (!(float.IsNaN(EmbeddingMath.Cosine(new float[length], y, path))))
                    {
                        Assert.Fail($"zero and {bad}, {length} {path}");
                    }
                }
            }
        }
    }

    [Fact]
    public void CosineHandlesValuesWhoseSquaresLeaveTheFloatRange()
    {
        var x = NumericsReference.Random(100, 11);
        var y = NumericsReference.Random(100, 12);
        var expected = Cosine(x, y);
        foreach (var scale in new[] { 1e25f, 1e-25f, 1e-40f })
        {
            var sx = x.Select(v => v * scale).ToArray();
            var sy = y.Select(v => v * 2 * scale).ToArray();
            var reference = Cosine(sx, sy); // scaled copies round differently at 1e-40 (subnormal), so compare to them
            if (!(Math.Abs(reference - expected) < 1e-3))
            {
                Assert.Fail($"scale {scale}");
            }

            foreach (var path in SimdPaths.All)
            {
                if (!(Math.Abs(EmbeddingMath.Cosine(sx, sy, path) - reference) <= 1e-6))
                {
                    Assert.Fail($"scale {scale}, {path}");
                }
            }
        }
    }
}
