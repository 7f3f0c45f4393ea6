using RichScoring.Numerics;

namespace RichScoring.Tests.Numerics;

public class TopKTests
{
    [Fact]
    public void TopKMatchesAFullSortWithTiesKAndNaN()
    {
        var random = new Random(1);
        for (var length = 0; length <= 256; length++)
        {
            // Values from a small set so that ties are common; a NaN now and then.
            var values = Enumerable.Range(0, length).Select(_ => random.Next(8) switch
            {
                0 => float.NaN,
                1 => (float)random.Next(3),
                2 => float.NegativeInfinity,
                3 => float.PositiveInfinity,
                _ => random.Next(5) - 2f,
            }).ToArray();

            foreach (var k in new[] { 0, 1, 2, 3, 7, length / 2, Math.Max(0, length - 1), length, length + 3 }.Distinct())
            {
                var expected = NumericsReference.TopK(values, k);
                var actual = new int[k];
                var written = EmbeddingMath.TopK(values, actual);
                Assert.Equal(expected.Length, written);
                Assert.Equal(expected, actual[..written]);
                Assert.All(actual[written..], i => Assert.Equal(-1, i));
            }
        }
    }

    [Theory]
    [InlineData(10_000, 10)]
    [InlineData(10_000, 100)]
    [InlineData(100_000, 100)]
    public void TopKMatchesAFullSortOnLargeInputs(int length, int k)
    {
        var values = NumericsReference.Random(length, length + k);
        values[17] = values[4242] = values.Max(); // a tie at the top
        var actual = new int[k];
        Assert.Equal(k, EmbeddingMath.TopK(values, actual));
        Assert.Equal(NumericsReference.TopK(values, k), actual);
        Assert.Equal(17, actual[0]);
        Assert.Equal(4242, actual[1]);
    }

    [Fact]
    public void TopKEdgeCases()
    {
        Assert.Equal(0, EmbeddingMath.TopK([1f, 2f], Span<int>.Empty));
        var three = new[] { 9, 9, 9 };
        Assert.Equal(0, EmbeddingMath.TopK([], three));
        Assert.Equal([-1, -1, -1], three);
        Assert.Equal(0, EmbeddingMath.TopK([float.NaN, float.NaN], three));
        Assert.Equal(2, EmbeddingMath.TopK([-0f, float.NaN, 0f], three));
        Assert.Equal([0, 2, -1], three); // −0 == +0: a tie, lower index first
        Assert.Equal(3, EmbeddingMath.TopK([float.NegativeInfinity, float.PositiveInfinity, float.MaxValue], three));
        Assert.Equal([1, 2, 0], three);
    }

    [Fact]
    public void ArgMaxMatchesTheReferenceAtEveryLengthOnEveryPath()
    {
        var random = new Random(2);
        for (var length = 0; length <= 256; length++)
        {
            for (var trial = 0; trial < 4; trial++)
            {
                var values = Enumerable.Range(0, length).Select(_ => random.Next(10) switch
                {
                    0 => float.NaN,
                    1 => 5f, // ties at a likely maximum
                    2 => float.NegativeInfinity,
                    _ => (float)random.NextDouble(),
                }).ToArray();
                if (trial == 3 && length > 0)
                {
                    values[random.Next(length)] = float.PositiveInfinity;
                }

                var expected = NumericsReference.ArgMax(values);
                foreach (var path in SimdPaths.All)
                {
                    if (!(expected == EmbeddingMath.ArgMax(values, path)))
                    {
                        Assert.Fail($"length {length}, trial {trial}, {SimdPaths.Describe(path)}");
                    }
                }

                var top = new int[1];
                Assert.Equal(expected, EmbeddingMath.TopK(values, top) == 1 ? top[0] : -1);
            }
        }
    }

    [Fact]
    public void ArgMaxEdgeCases()
    {
        foreach (var path in SimdPaths.All)
        {
            foreach (var length in new[] { 1, 4, 8, 16, 19, 40 })
            {
                var what = $"{SimdPaths.Describe(path)}, length {length}";
                var values = new float[length];
                Array.Fill(values, float.NaN);
                Assert.True(EmbeddingMath.ArgMax(values, path) == -1, what);

                Array.Fill(values, float.NegativeInfinity);
                Assert.True(EmbeddingMath.ArgMax(values, path) == 0, what);

                if (length > 1)
                {
                    values[length - 1] = -0f;
                    values[0] = float.NaN;
                    Assert.True(EmbeddingMath.ArgMax(values, path) == length - 1, what);
                }

                Array.Fill(values, 0f);
                values[0] = -0f;
                Assert.True(EmbeddingMath.ArgMax(values, path) == 0, what); // −0 == +0: the first one wins
            }
        }

        Assert.Equal(-1, EmbeddingMath.ArgMax([]));
    }
}
