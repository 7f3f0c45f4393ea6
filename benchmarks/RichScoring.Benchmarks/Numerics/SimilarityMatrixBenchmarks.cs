using BenchmarkDotNet.Attributes;
using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>
/// Q queries × N candidates at D = 512 (candidates from DRAM at N = 100,000: 205 MB): our kernel on one thread and on
/// all cores beside a TensorPrimitives.Dot-per-pair loop (the baseline). The naive scalar loop is in
/// <see cref="SimilarityNaiveBaselineBenchmarks"/> (it would take seconds per call here).
/// </summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public class SimilarityMatrixBenchmarks
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
    public void DotPerPair() => SimilarityData.DotPerPair(_queries, _candidates, D, _destination);

    [Benchmark]
    public void KernelSingleThread() => EmbeddingMath.SimilarityMatrix(_queries, _candidates, D, _destination, _singleThread);

    [Benchmark]
    public void KernelMultiThread() => EmbeddingMath.SimilarityMatrix(_queries, _candidates, D, _destination);
}
