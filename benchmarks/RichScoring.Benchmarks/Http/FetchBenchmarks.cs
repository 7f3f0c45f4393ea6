using BenchmarkDotNet.Attributes;
using RichScoring.Http;
using RichScoring.Http.Tests.Server;

namespace RichScoring.Benchmarks.Http;

/// <summary>
/// Fetching 100 images from a loopback server that waits 20 ms before each answer (a stand-in for network latency),
/// one at a time (the baseline) and eight at a time, through the real fetcher: guard, resilience, body limit, sniffing.
/// </summary>
[MemoryDiagnoser]
public class FetchBenchmarks
{
    private const int Images = 100;

    private LoopbackServer _server = null!;
    private HttpCandidateFetcher _fetcher = null!;
    private Uri[] _urls = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new LoopbackServer { Latency = TimeSpan.FromMilliseconds(20) };
        var options = new HttpFetchOptions { MaxConcurrency = 8 };
        options.AllowedPrivateEndpoints.Add(_server.EndPoint);
        _fetcher = new HttpCandidateFetcher(options);
        _urls = [.. Enumerable.Range(0, Images).Select(i => _server.Url($"/ok/bench-{i}.jpg"))];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _fetcher.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "100 images, parallelism 1")]
    public Task<long> Parallelism1() => FetchAllAsync(1);

    [Benchmark(Description = "100 images, parallelism 8")]
    public Task<long> Parallelism8() => FetchAllAsync(8);

    private async Task<long> FetchAllAsync(int parallelism)
    {
        long bytes = 0;
        await Parallel.ForEachAsync(_urls, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (url, ct) =>
        {
            var body = await _fetcher.FetchAsync(url, ct);
            Interlocked.Add(ref bytes, body.Length);
        });
        return bytes;
    }
}
