using BenchmarkDotNet.Attributes;

namespace RichScoring.Benchmarks.Deduplication;

/// <summary>
/// The tile shape of <see cref="NearDuplicateRemover"/> (rows × columns of the similarity matrix per kernel call),
/// single-threaded at N = 10,000, D = 512, to re-tune the defaults when the kernel changes.
/// </summary>
public class NearDuplicateBlockShapeBenchmarks
{
    private DeduplicationRequest _request = null!;
    private NearDuplicateRemover _remover = null!;

    [Params(96, 256, 512)]
    public int BlockRows { get; set; }

    [Params(2048, 4096)]
    public int BlockColumns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _request = DedupData.Request(10_000, 512, 0.05, seed: 1);
        _remover = new NearDuplicateRemover(new NearDuplicateRemoverOptions { MaxDegreeOfParallelism = 1, BlockRows = BlockRows, BlockColumns = BlockColumns });
    }

    [Benchmark]
    public int Remover() => _remover.Deduplicate(_request, CancellationToken.None).Kept.Count;
}
