using BenchmarkDotNet.Attributes;

namespace RichScoring.Benchmarks.Deduplication;

/// <summary>
/// Near-duplicate removal at D = 512 with about 5% planted near-duplicates (target: N = 10,000 under 1.5 s), beside
/// the per-pair TensorPrimitives.CosineSimilarity loop as the baseline.
/// </summary>
[MemoryDiagnoser]
public class NearDuplicateRemoverBenchmarks
{
    private readonly NearDuplicateRemover _remover = new();
    private readonly NearDuplicateRemover _singleThread = new(new NearDuplicateRemoverOptions { MaxDegreeOfParallelism = 1 });
    private DeduplicationRequest _request = null!;

    [Params(2_000, 10_000)]
    public int N { get; set; }

    [Params(512)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup() => _request = DedupData.Request(N, D, 0.05, seed: 1);

    [Benchmark(Baseline = true)]
    public int NaiveCosinePerPair() => DedupData.NaiveDedup(_request, NearDuplicateRemoverOptions.DefaultThreshold);

    [Benchmark]
    public int Remover() => _remover.Deduplicate(_request, CancellationToken.None).Kept.Count;

    [Benchmark]
    public int RemoverSingleThread() => _singleThread.Deduplicate(_request, CancellationToken.None).Kept.Count;
}
