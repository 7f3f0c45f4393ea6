using System.Collections.Concurrent;
using RichScoring.Numerics;
using static RichScoring.Tests.Numerics.NumericsReference;

namespace RichScoring.Tests.Numerics;

public class SimilarityMatrixTests
{
    private static readonly int[] OddDimensions = [1, 3, 4, 7, 8, 15, 16, 17, 33, 100, 511, 513];

    [Fact]
    public void OddShapesMatchTheReferenceOnEveryPath()
    {
        foreach (var dimension in OddDimensions)
        {
            foreach (var candidateCount in new[] { 0, 1, 2, 3, 4, 5, 9, 13 })
            {
                for (var queryCount = 1; queryCount <= 17; queryCount++)
                {
                    CheckAgainstReference(queryCount, candidateCount, dimension, seed: (dimension * 1000) + (candidateCount * 20) + queryCount);
                }
            }
        }
    }

    /// <summary>Every path, by name (<see cref="SimdPath"/> is internal, so it cannot be a public theory's parameter).</summary>
    public static TheoryData<string> Paths { get; } = new(SimdPaths.All.Select(path => path.ToString()));

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryDimensionFrom1To256MatchesTheReference(string pathName)
    {
        // Every D in 1..256 crosses every tail length of every width (D mod 4, 8, 16) and up to 16 full 16-float
        // vectors; Q = 1..4 and N ∈ {1, 5} cover the one-query stream, the register blocks and their remainders.
        var path = Enum.Parse<SimdPath>(pathName);
        const int guard = 3;
        for (var dimension = 1; dimension <= 256; dimension++)
        {
            foreach (var candidateCount in new[] { 1, 5 })
            {
                for (var queryCount = 1; queryCount <= 4; queryCount++)
                {
                    var queries = NumericsReference.Random(queryCount * dimension, (dimension * 100) + (candidateCount * 10) + queryCount);
                    var candidates = NumericsReference.Random(candidateCount * dimension, (dimension * 100) + (candidateCount * 10) + queryCount + 5);
                    var (expected, tolerance) = ExpectedWithTolerance(queries, candidates, dimension);
                    var destination = new float[(queryCount * candidateCount) + guard];
                    destination.AsSpan(queryCount * candidateCount).Fill(42);

                    EmbeddingMath.SimilarityMatrix(queries, candidates, dimension, destination, path, 1, long.MaxValue, null);

                    for (var k = 0; k < expected.Length; k++)
                    {
                        if (!(Math.Abs(destination[k] - expected[k]) <= tolerance[k]))
                        {
                            Assert.Fail($"Q={queryCount} N={candidateCount} D={dimension} {SimdPaths.Describe(path)} [{k / candidateCount},{k % candidateCount}]: {destination[k]} vs {expected[k]}");
                        }
                    }

                    for (var k = expected.Length; k < destination.Length; k++)
                    {
                        if (destination[k] != 42)
                        {
                            Assert.Fail($"Q={queryCount} N={candidateCount} D={dimension} {SimdPaths.Describe(path)}: wrote {destination[k]} past Q × N at {k}");
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 65_541, 4)] // the cache block at D = 1 is 65,536 candidates
    [InlineData(3, 21_900, 4)] // D = 3: blocks of 21,844
    [InlineData(16, 4_100, 2)] // D = 16: blocks of 4,096
    [InlineData(17, 3_861, 5)] // D = 17: blocks of 3,852
    [InlineData(100, 1_313, 3)] // D = 100: blocks of 652, two boundaries crossed
    [InlineData(513, 254, 7)] // D = 513: blocks of 124, two boundaries crossed
    public void ShapesCrossingTheCacheBlocksMatchTheReference(int dimension, int candidateCount, int queryCount)
    {
        Assert.True(candidateCount > SimilarityMatrixKernel.CandidateBlock(dimension), "the shape must cross a block boundary");
        CheckAgainstReference(queryCount, candidateCount, dimension, seed: dimension + candidateCount);
    }

    [Fact]
    public void DramSizedCandidatesMatchTheReference()
    {
        // Over 16 MiB of candidates switches on the block prefetching; it must not change a result.
        const int q = 4, n = 8_200, d = 512;
        var queries = NumericsReference.Random(q * d, 8);
        var candidates = NumericsReference.Random(n * d, 9);
        var destination = new float[q * n];
        EmbeddingMath.SimilarityMatrix(queries, candidates, d, destination, Simd.Best, 1, long.MaxValue, null);
        AssertMatches(queries, candidates, d, destination, "DRAM-sized");
    }

    [Fact]
    public void ThePublicOverloadMatchesTheReference()
    {
        const int q = 6, n = 300, d = 100;
        var queries = NumericsReference.Random(q * d, 1);
        var candidates = NumericsReference.Random(n * d, 2);
        var destination = new float[(q * n) + 5];
        destination.AsSpan(q * n).Fill(42);
        EmbeddingMath.SimilarityMatrix(queries, candidates, d, destination);
        AssertMatches(queries, candidates, d, destination.AsSpan(0, q * n), "public");
        Assert.All(destination[(q * n)..], v => Assert.Equal(42f, v)); // nothing beyond Q × N is written
    }

    [Theory]
    [InlineData(1, 1_001, 33)] // one or two queries stream the candidates in four runs
    [InlineData(2, 998, 17)]
    [InlineData(64, 2_000, 17)] // split over candidates
    [InlineData(5, 1_001, 33)]
    [InlineData(200, 10, 64)] // few candidates, many queries: split over queries
    [InlineData(31, 100, 7)]
    public void TheParallelPathEqualsTheSingleThreadedOneExactly(int queryCount, int candidateCount, int dimension)
    {
        var queries = NumericsReference.Random(queryCount * dimension, 3);
        var candidates = NumericsReference.Random(candidateCount * dimension, 4);
        var single = new float[queryCount * candidateCount];
        var parallel = new float[queryCount * candidateCount];
        var (chunks, _) = EmbeddingMath.Partition(queryCount, candidateCount, dimension, 4, parallelThreshold: 1);
        Assert.True(chunks > 1, "the shape must be split");

        foreach (var path in SimdPaths.All)
        {
            EmbeddingMath.SimilarityMatrix(queries, candidates, dimension, single, path, 1, long.MaxValue, null);
            var chunkStarts = 0;
            EmbeddingMath.SimilarityMatrix(queries, candidates, dimension, parallel, path, 4, parallelThreshold: 1, _ => Interlocked.Increment(ref chunkStarts));

            // Chunks are cut at register-block boundaries, so every entry comes from the same kernel: bit-identical.
            Assert.Equal(single, parallel);
            Assert.Equal(chunks, chunkStarts);
        }

        AssertMatches(queries, candidates, dimension, single, "single");
    }

    [Fact]
    public void ThePublicOverloadAboveTheParallelThresholdEqualsSingleThreaded()
    {
        const int q = 16, n = 1_000, d = 512; // 8.2 M multiply-adds: over the default threshold
        Assert.True((long)q * n * d >= EmbeddingMath.DefaultParallelThreshold);
        var queries = NumericsReference.Random(q * d, 10);
        var candidates = NumericsReference.Random(n * d, 11);
        var parallel = new float[q * n];
        var single = new float[q * n];
        EmbeddingMath.SimilarityMatrix(queries, candidates, d, parallel, new SimilarityOptions { MaxDegreeOfParallelism = 4 });
        EmbeddingMath.SimilarityMatrix(queries, candidates, d, single, new SimilarityOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(single, parallel);
        AssertMatches(queries, candidates, d, parallel, "public, parallel");
    }

    [Fact]
    public void LargeWorkGoesParallelByDefaultAndSmallWorkDoesNot()
    {
        Assert.Equal(1, EmbeddingMath.Partition(16, 1_000, 512, 1, EmbeddingMath.DefaultParallelThreshold).ChunkCount);
        Assert.Equal(1, EmbeddingMath.Partition(1, 100, 512, 8, EmbeddingMath.DefaultParallelThreshold).ChunkCount);
        Assert.Equal((8, false), EmbeddingMath.Partition(16, 1_000, 512, 2, EmbeddingMath.DefaultParallelThreshold));
        Assert.Equal((8, true), EmbeddingMath.Partition(1_000, 100, 512, 2, EmbeddingMath.DefaultParallelThreshold));
        Assert.Equal(1, EmbeddingMath.Partition(2, 100, 100_000, 2, EmbeddingMath.DefaultParallelThreshold).ChunkCount); // nothing to share
    }

    [Fact]
    public void MaxDegreeOfParallelismOneRunsOnTheCallingThreadOnly()
    {
        const int q = 64, n = 4_000, d = 64;
        var queries = NumericsReference.Random(q * d, 5);
        var candidates = NumericsReference.Random(n * d, 6);
        var destination = new float[q * n];
        var threads = new ConcurrentBag<int>();

        EmbeddingMath.SimilarityMatrix(queries, candidates, d, destination, Simd.Best, 1, parallelThreshold: 1, threads.Add);

        Assert.Equal([Environment.CurrentManagedThreadId], threads.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxDegreeOfParallelismCapsTheConcurrentChunks(int maxDegree)
    {
        const int q = 16, n = 4_000, d = 32;
        var queries = NumericsReference.Random(q * d, 5);
        var candidates = NumericsReference.Random(n * d, 6);
        var destination = new float[q * n];
        var active = 0;
        var mostActive = 0;
        var chunks = 0;

        EmbeddingMath.SimilarityMatrix(queries, candidates, d, destination, Simd.Best, maxDegree, parallelThreshold: 1, _ =>
        {
            Interlocked.Increment(ref chunks);
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref mostActive, now);
            Thread.Sleep(5); // widen the window in which concurrent chunks would be seen
            Interlocked.Decrement(ref active);
        });

        Assert.Equal(4 * maxDegree, chunks);
        Assert.InRange(mostActive, 1, maxDegree);
        AssertMatches(queries, candidates, d, destination, "capped");
    }

    [Fact]
    public void OptionsAreValidated()
    {
        var options = new SimilarityOptions();
        Assert.Equal(Environment.ProcessorCount, options.MaxDegreeOfParallelism);
        options.MaxDegreeOfParallelism = 1;
        Assert.Equal(1, options.MaxDegreeOfParallelism);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxDegreeOfParallelism = -1);
        Assert.Equal(1, options.MaxDegreeOfParallelism);
    }

    [Fact]
    public void NaNAndInfinityReachOnlyTheAffectedEntries()
    {
        const int q = 5, n = 9, d = 19;
        foreach (var path in SimdPaths.All)
        {
            var queries = NumericsReference.Random(q * d, 1).Select(Math.Abs).ToArray();
            var candidates = NumericsReference.Random(n * d, 2).Select(v => Math.Abs(v) + 0.01f).ToArray();
            queries[(1 * d) + 18] = float.NaN; // query 1
            queries[(3 * d) + 0] = float.PositiveInfinity; // query 3: +Inf against positive candidates
            candidates[(7 * d) + 5] = float.NegativeInfinity; // candidate 7

            var destination = new float[q * n];
            EmbeddingMath.SimilarityMatrix(queries, candidates, d, destination, path, 1, long.MaxValue, null);

            for (var i = 0; i < q; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var value = destination[(i * n) + j];
                    var what = $"{SimdPaths.Describe(path)} [{i},{j}] = {value}";
                    if (i == 1 || (i == 3 && j == 7))
                    {
                        Assert.True(float.IsNaN(value), what); // NaN, or +Inf + −Inf
                    }
                    else if (i == 3)
                    {
                        Assert.True(float.IsPositiveInfinity(value), what);
                    }
                    else if (j == 7)
                    {
                        Assert.True(float.IsNegativeInfinity(value), what);
                    }
                    else
                    {
                        Assert.True(float.IsFinite(value), what);
                    }
                }
            }
        }
    }

    [Fact]
    public void EmptySidesWriteNothing()
    {
        var destination = new float[] { 7, 7 };
        EmbeddingMath.SimilarityMatrix([], new float[8], 4, destination);
        EmbeddingMath.SimilarityMatrix(new float[8], [], 4, destination);
        EmbeddingMath.SimilarityMatrix([], [], 4, []);
        Assert.Equal([7f, 7f], destination);
    }

    [Fact]
    public void ShapesAreValidated()
    {
        var ok = new float[12];
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingMath.SimilarityMatrix(ok, ok, 0, new float[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingMath.SimilarityMatrix(ok, ok, -4, new float[9]));
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => EmbeddingMath.SimilarityMatrix(new float[13], ok, 4, new float[9])).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentException>(() => EmbeddingMath.SimilarityMatrix(ok, new float[10], 4, new float[9])).ParamName);
        var tooShort = Assert.Throws<ArgumentException>(() => EmbeddingMath.SimilarityMatrix(ok, ok, 4, new float[8]));
        Assert.Equal("destination", tooShort.ParamName);
        Assert.Contains("3 × 3", tooShort.Message, StringComparison.Ordinal);

        var buffer = new float[30];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => EmbeddingMath.SimilarityMatrix(buffer.AsSpan(0, 12), ok, 4, buffer.AsSpan(10, 9))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => EmbeddingMath.SimilarityMatrix(ok, buffer.AsSpan(0, 12), 4, buffer.AsSpan(0, 9))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingMath.SimilarityMatrix(ok, ok, 4, new float[9], Simd.Best, 0, 1, null));
    }

    private static void CheckAgainstReference(int queryCount, int candidateCount, int dimension, int seed)
    {
        var queries = NumericsReference.Random(queryCount * dimension, seed);
        var candidates = NumericsReference.Random(candidateCount * dimension, seed + 1);
        var (expected, tolerance) = ExpectedWithTolerance(queries, candidates, dimension);
        var lowest = new float[expected.Length];
        var highest = new float[expected.Length];
        Array.Fill(lowest, float.PositiveInfinity);
        Array.Fill(highest, float.NegativeInfinity);
        foreach (var path in SimdPaths.All)
        {
            var destination = new float[queryCount * candidateCount];
            EmbeddingMath.SimilarityMatrix(queries, candidates, dimension, destination, path, 1, long.MaxValue, null);
            for (var k = 0; k < expected.Length; k++)
            {
                if (!(Math.Abs(destination[k] - expected[k]) <= tolerance[k]))
                {
                    Assert.Fail($"Q={queryCount} N={candidateCount} D={dimension} {SimdPaths.Describe(path)} [{k / candidateCount},{k % candidateCount}]: {destination[k]} vs {expected[k]}");
                }

                lowest[k] = Math.Min(lowest[k], destination[k]);
                highest[k] = Math.Max(highest[k], destination[k]);
            }
        }

        // The widths agree with each other within twice the reference bound (they differ only in summation order).
        for (var k = 0; k < expected.Length; k++)
        {
            if (!(highest[k] - lowest[k] <= 2 * tolerance[k]))
            {
                Assert.Fail($"Q={queryCount} N={candidateCount} D={dimension} [{k / candidateCount},{k % candidateCount}]: paths span {lowest[k]}..{highest[k]}");
            }
        }
    }

    private static void AssertMatches(float[] queries, float[] candidates, int dimension, ReadOnlySpan<float> actual, string what)
    {
        var (expected, tolerance) = ExpectedWithTolerance(queries, candidates, dimension);
        for (var k = 0; k < expected.Length; k++)
        {
            if (!(Math.Abs(actual[k] - expected[k]) <= tolerance[k]))
            {
                Assert.Fail($"{what} [{k / (candidates.Length / dimension)},{k % (candidates.Length / dimension)}]: {actual[k]} vs {expected[k]}");
            }
        }
    }

    private static (double[] Expected, double[] Tolerance) ExpectedWithTolerance(float[] queries, float[] candidates, int dimension)
    {
        var expected = Matrix(queries, candidates, dimension);
        var candidateCount = candidates.Length / dimension;
        var tolerance = new double[expected.Length];
        for (var k = 0; k < expected.Length; k++)
        {
            var (i, j) = Math.DivRem(k, candidateCount);
            tolerance[k] = DotTolerance(queries.AsSpan(i * dimension, dimension), candidates.AsSpan(j * dimension, dimension));
        }

        return (expected, tolerance);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
