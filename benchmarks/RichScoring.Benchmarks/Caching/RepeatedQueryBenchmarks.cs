using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace RichScoring.Benchmarks.Caching;

/// <summary>
/// The whole pipeline over 1,000 candidates of 32 KB each: a cold run (every image encoded by
/// <see cref="SyntheticImageEncoder"/>, ~2 ms of arithmetic each, then cached) against repeated runs of the same query
/// whose embeddings are already cached — in memory (the target: under 5 % of the cold run), in a directory only (a
/// CLI rerun in a new process) and in an in-process <see cref="IDistributedCache"/> (the distributed tier's
/// serialization and batching without a network). A warm run still reads and hashes every file (SHA-256 of 32 MB).
/// </summary>
[MemoryDiagnoser]
public class RepeatedQueryBenchmarks
{
    private const int Count = 1_000;
    private const int ImageBytes = 32 * 1024;
    private readonly ScoringQuery _query = new(["a photo of a duck", "a mallard on a pond"], ["a rubber duck", "a goose"]);
    private Candidate[] _candidates = [];
    private ScoringPipeline _memory = null!;
    private ScoringPipeline _directory = null!;
    private ScoringPipeline _distributed = null!;
    private string _folder = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var random = new Random(7);
        _candidates = [.. Enumerable.Range(0, Count).Select(i =>
        {
            var bytes = new byte[ImageBytes];
            random.NextBytes(bytes);
            return Candidate.FromBytes("c" + i, bytes);
        })];

        _folder = Path.Combine(Path.GetTempPath(), "richscoring-bench-cache-" + Guid.NewGuid().ToString("N"));
        _memory = Pipeline(new MemoryEmbeddingCache());
        _directory = Pipeline(new DirectoryEmbeddingCache(_folder));
        _distributed = Pipeline(new DistributedEmbeddingCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))));
        foreach (var pipeline in new[] { _memory, _directory, _distributed })
        {
            await pipeline.ScoreAsync(_candidates, _query); // fills the cache: the benchmarks below repeat the query
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A new pipeline with an empty cache each time (building one costs microseconds; the run costs seconds).</summary>
    [Benchmark(Baseline = true, Description = "cold: 1,000 images encoded")]
    public async Task<ScoringResult> Cold()
    {
        using var pipeline = Pipeline(new MemoryEmbeddingCache());
        return await pipeline.ScoreAsync(_candidates, _query);
    }

    [Benchmark(Description = "repeat, memory cache")]
    public Task<ScoringResult> WarmMemory() => _memory.ScoreAsync(_candidates, _query);

    [Benchmark(Description = "repeat, directory cache only")]
    public Task<ScoringResult> WarmDirectory() => _directory.ScoreAsync(_candidates, _query);

    [Benchmark(Description = "repeat, distributed tier (in-process)")]
    public Task<ScoringResult> WarmDistributed() => _distributed.ScoreAsync(_candidates, _query);

    private static ScoringPipeline Pipeline(IEmbeddingCache cache) =>
        new ScoringPipelineBuilder()
            .UseEncoders(new SyntheticTextEncoder(), new SyntheticImageEncoder())
            .UseEmbeddingCache(cache)
            .Configure(o => o.EmbedBatchSize = 1_000)
            .TopK(12)
            .Build();
}
