using BenchmarkDotNet.Attributes;

namespace RichScoring.Benchmarks.Deduplication;

/// <summary>MMR picking K of 10,000 candidates at D = 512, beside textbook MMR with one cosine per pair as the baseline.</summary>
[MemoryDiagnoser]
public class MmrDiversifierBenchmarks
{
    private DeduplicationRequest _request = null!;
    private MmrDiversifier _diversifier = null!;

    [Params(10_000)]
    public int N { get; set; }

    [Params(512)]
    public int D { get; set; }

    [Params(12, 50)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _request = DedupData.Request(N, D, 0.05, seed: 2);
        _diversifier = new MmrDiversifier(new MmrDiversifierOptions { TopK = K, NormalizeScores = false });
    }

    [Benchmark(Baseline = true)]
    public int NaiveCosinePerPair() => DedupData.NaiveMmr(_request, MmrDiversifierOptions.DefaultLambda, K)[^1];

    [Benchmark]
    public int Diversifier() => _diversifier.Diversify(_request, CancellationToken.None).Kept[K - 1];
}
