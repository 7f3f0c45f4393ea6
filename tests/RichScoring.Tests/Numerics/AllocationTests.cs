using RichScoring.Numerics;

namespace RichScoring.Tests.Numerics;

public class AllocationTests
{
    [Fact]
    public void NoMemberAllocatesOnTheSingleThreadedPath()
    {
        var x = NumericsReference.Random(1000, 1);
        var y = NumericsReference.Random(1000, 2);
        var destination = new float[1000];
        var indices = new int[10];
        var queries = NumericsReference.Random(5 * 100, 3);
        var candidates = NumericsReference.Random(10 * 100, 4);
        var matrix = new float[5 * 10];
        var singleThread = new SimilarityOptions { MaxDegreeOfParallelism = 1 };
        var big = NumericsReference.Random(64 * 512, 5);
        var bigCandidates = NumericsReference.Random(1000 * 512, 6);
        var bigMatrix = new float[64 * 1000];

        var checks = new (string Name, Action Run)[]
        {
            ("Dot", () => EmbeddingMath.Dot(x, y)),
            ("Cosine", () => EmbeddingMath.Cosine(x, y)),
            ("Cosine (zero vector)", () => EmbeddingMath.Cosine(new ReadOnlySpan<float>(destination, 0, 0), y.AsSpan(0, 0))),
            ("NormalizeRows", () => EmbeddingMath.NormalizeRows(x, 100, destination)),
            ("SimilarityMatrix (small)", () => EmbeddingMath.SimilarityMatrix(queries, candidates, 100, matrix)),
            ("SimilarityMatrix (MaxDegreeOfParallelism = 1)", () => EmbeddingMath.SimilarityMatrix(big, bigCandidates, 512, bigMatrix, singleThread)),
            ("Softmax", () => EmbeddingMath.Softmax(x, destination)),
            ("LogSoftmax", () => EmbeddingMath.LogSoftmax(x, destination)),
            ("LogSumExp", () => EmbeddingMath.LogSumExp(x)),
            ("Sigmoid", () => EmbeddingMath.Sigmoid(x, destination)),
            ("Scale", () => EmbeddingMath.Scale(x, 100, destination)),
            ("ApplyTemperature", () => EmbeddingMath.ApplyTemperature(x, 0.5f, destination)),
            ("TopK", () => EmbeddingMath.TopK(x, indices)),
            ("ArgMax", () => EmbeddingMath.ArgMax(x)),
        };

        foreach (var (name, run) in checks)
        {
            run(); // JIT and tiering first
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 3; i++)
            {
                run();
            }

            Assert.True(GC.GetAllocatedBytesForCurrentThread() == before, $"{name} allocated {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        }
    }
}
