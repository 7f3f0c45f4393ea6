using BenchmarkDotNet.Attributes;
using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>
/// The compute-bound case: 1,000–2,000 candidates (2–4 MB, resident in L3) so the kernel, not DRAM, sets the pace.
/// Target: single-threaded ≥ 60% of one core's fp32 FMA peak (≥ 69 GFLOP/s on the GUIDE §4 machine; measured beside
/// by <see cref="FmaPeakSameFlops"/>) and ≥ 3× the Dot-per-pair baseline.
/// </summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public class SimilarityCacheResidentBenchmarks
{
    private readonly SimilarityOptions _singleThread = new() { MaxDegreeOfParallelism = 1 };
    private float[] _queries = [];
    private float[] _candidates = [];
    private float[] _destination = [];

    [Params(16, 64)]
    public int Q { get; set; }

    [Params(1_000, 2_000)]
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

    /// <summary>The same 2·Q·N·D floating-point operations as pure register FMAs: its GFLOP/s column is the peak.</summary>
    [Benchmark]
    public float FmaPeakSameFlops() => FmaPeak.Run(2L * Q * N * D);

    [Benchmark(Baseline = true)]
    public void DotPerPair() => SimilarityData.DotPerPair(_queries, _candidates, D, _destination);

    [Benchmark]
    public void KernelSingleThread() => EmbeddingMath.SimilarityMatrix(_queries, _candidates, D, _destination, _singleThread);
}
