using BenchmarkDotNet.Attributes;
using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>
/// The same matrices as <see cref="SimilarityMatrixBenchmarks"/> (N = 10,000 and 100,000) against the naive scalar
/// triple loop (the baseline here), with the Dot-per-pair loop and our kernel beside it.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class SimilarityNaiveBaselineBenchmarks
{
    private readonly SimilarityOptions _singleThread = new() { MaxDegreeOfParallelism = 1 };
    private float[] _queries = [];
    private float[] _candidates = [];
    private float[] _destination = [];

    [Params(1, 16, 64)]
    public int Q { get; set; }

    [Params(10_000, 100_000)]
    public int N { get; set; }

    [Params(512)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _queries = SimilarityData.UnitRows(Q, D, 1);
        _candidates = SimilarityData.UnitRows(N, D, 2);
        _destination = new float[Q * N];
    }

    [Benchmark(Baseline = true)]
    public void NaiveScalar() => SimilarityData.NaiveScalar(_queries, _candidates, D, _destination);

    [Benchmark]
    public void DotPerPair() => SimilarityData.DotPerPair(_queries, _candidates, D, _destination);

    [Benchmark]
    public void KernelSingleThread() => EmbeddingMath.SimilarityMatrix(_queries, _candidates, D, _destination, _singleThread);

    [Benchmark]
    public void KernelMultiThread() => EmbeddingMath.SimilarityMatrix(_queries, _candidates, D, _destination);
}
