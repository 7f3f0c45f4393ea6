using RichScoring.Numerics;
using static RichScoring.Tests.Numerics.NumericsReference;

namespace RichScoring.Tests.Numerics;

public class NormalizeRowsTests
{
    [Fact]
    public void EveryRowMatchesTheReferenceAtEveryDimensionOnEveryPath()
    {
        for (var dimension = 1; dimension <= 256; dimension++)
        {
            var rows = 3;
            var source = NumericsReference.Random(rows * dimension, dimension).Select(v => v * 5).ToArray();

            // Each output is xᵢ/‖x‖ with ‖x‖² off by at most γₙ relatively (all terms positive), so |error| ≤ (n/2 + 2)·u·|outᵢ|;
            // (n + 8)·u with |outᵢ| ≤ 1 covers it.
            var tolerance = (dimension + 8) * Epsilon;
            foreach (var path in SimdPaths.All)
            {
                var destination = new float[source.Length];
                EmbeddingMath.NormalizeRows(source, dimension, destination, path);
                for (var r = 0; r < rows; r++)
                {
                    var expected = Normalize(source.AsSpan(r * dimension, dimension));
                    for (var i = 0; i < dimension; i++)
                    {
                        Assert.True(
                            Math.Abs(destination[(r * dimension) + i] - expected[i]) <= tolerance,
                            $"dimension {dimension}, row {r}, {SimdPaths.Describe(path)}");
                    }
                }
            }
        }
    }

    [Fact]
    public void InPlaceGivesTheSameAsSourceToDestination()
    {
        var source = NumericsReference.Random(7 * 33, 5);
        var destination = new float[source.Length + 3];
        EmbeddingMath.NormalizeRows(source, 33, destination);
        var inPlace = (float[])source.Clone();
        EmbeddingMath.NormalizeRows(inPlace, 33);
        Assert.Equal(destination[..source.Length], inPlace);
        Assert.Equal(new float[3], destination[source.Length..]); // only the first source.Length values are written
    }

    [Fact]
    public void ZeroRowsStayZeroAndRowsWithNaNOrInfinityBecomeNaN()
    {
        foreach (var path in SimdPaths.All)
        {
            const int d = 17;
            var matrix = NumericsReference.Random(5 * d, 9);
            Array.Clear(matrix, d, d); // row 1: zeros
            matrix[(2 * d) + 3] = float.NaN; // row 2
            matrix[(3 * d) + 16] = float.PositiveInfinity; // row 3
            matrix[(4 * d) + 0] = float.NegativeInfinity; // row 4
            var expectedRow0 = Normalize(matrix.AsSpan(0, d));

            EmbeddingMath.NormalizeRows(matrix, d, path);

            for (var i = 0; i < d; i++)
            {
                if (!(Math.Abs(matrix[i] - expectedRow0[i]) <= (d + 8) * Epsilon))
                {
                    Assert.Fail($"{path}");
                }
            }

            Assert.All(matrix.AsSpan(d, d).ToArray(), v => Assert.Equal(0f, v));
            Assert.All(matrix.AsSpan(2 * d, 3 * d).ToArray(), v => Assert.True(float.IsNaN(v), $"{path}"));
        }
    }

    [Fact]
    public void RowsOfHugeOrTinyValuesAreStillNormalised()
    {
        foreach (var scale in new[] { 1e30f, 1e-30f, 1e-42f })
        {
            foreach (var path in SimdPaths.All)
            {
                var row = new[] { 3 * scale, 4 * scale, 0f };
                EmbeddingMath.NormalizeRows(row, 3, path);
                var expected = Normalize(new[] { 3 * scale, 4 * scale, 0f }); // at 1e-42 the inputs themselves round
                Assert.Equal(expected[0], row[0], 1e-6);
                Assert.Equal(expected[1], row[1], 1e-6);
                Assert.Equal(0f, row[2]);
            }
        }
    }

    [Fact]
    public void NormalizedRowsHaveUnitNorm()
    {
        var matrix = NumericsReference.Random(20 * 512, 77);
        EmbeddingMath.NormalizeRows(matrix, 512);
        for (var r = 0; r < 20; r++)
        {
            var row = matrix.AsSpan(r * 512, 512);
            Assert.Equal(1.0, Math.Sqrt(NumericsReference.Dot(row, row)), 1e-5);
        }
    }

    [Fact]
    public void EmptyMatrixIsFine()
    {
        EmbeddingMath.NormalizeRows(Span<float>.Empty, 8);
        EmbeddingMath.NormalizeRows(ReadOnlySpan<float>.Empty, 8, Span<float>.Empty);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingMath.NormalizeRows(new float[4], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingMath.NormalizeRows(new float[4], -2));
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => EmbeddingMath.NormalizeRows(new float[10], 4)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => EmbeddingMath.NormalizeRows(new float[8], 4, new float[7])).ParamName);
        var buffer = new float[12];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => EmbeddingMath.NormalizeRows(buffer.AsSpan(0, 8), 4, buffer.AsSpan(4, 8))).ParamName);
    }
}
