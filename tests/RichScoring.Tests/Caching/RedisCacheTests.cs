using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RichScoring.Tests.Caching;

/// <summary>
/// The distributed tier against a real redis-server through Microsoft.Extensions.Caching.StackExchangeRedis, wired the
/// way an app does it: <c>AddStackExchangeRedisCache</c> + <c>AddRichScoring(b =&gt; b.UseDistributedCache())</c>.
/// </summary>
public sealed class RedisCacheTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_app_instances_share_embeddings_through_one_redis()
    {
        var endpoint = redis.RequireEndpoint();
        var instance = $"richscoring-tests-{Guid.NewGuid():N}:";
        var a = new AppInstance(endpoint, instance);
        var b = new AppInstance(endpoint, instance);
        await using (a)
        await using (b)
        {
            await a.ConnectAsync();
            await b.ConnectAsync();
            var first = await a.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(), cancellationToken: Ct);
            var second = await b.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(), cancellationToken: Ct);

            Assert.Equal(13, a.Image.ImagesEncoded);
            Assert.Equal(2, a.Text.TextsEncoded);
            Assert.Equal(1, b.Image.ImagesEncoded); // only the file that is not an image (failures are never cached)
            Assert.Equal(0, b.Text.TextsEncoded);
            Assert.Equal(PipelineCachingTests.Summary(first), PipelineCachingTests.Summary(second));
            Assert.Equal(0, a.Distributed.Health.Errors + b.Distributed.Health.Errors);

            // The entry is really in Redis, in the documented format.
            var bytes = RgbImageEncoder.Image(0, 0, 255, seed: 0);
            var key = EmbeddingCacheKey.ForImage(RgbImageEncoder.ModelId, bytes);
            var stored = await b.Services.GetRequiredService<IDistributedCache>().GetAsync(b.Distributed.KeyOf(key), Ct);
            Assert.NotNull(stored);
            Assert.True(EmbeddingEntryCodec.TryDecode(stored, key, out var vector, out _));
            Assert.Equal(RgbImageEncoder.Expected(bytes), vector);
        }
    }

    [Fact]
    public async Task With_redis_down_from_the_start_the_pipeline_answers_counts_and_logs_once()
    {
        var closedPort = RedisServer.FreePort(); // nothing listens there
        var clock = new ManualTimeProvider();
        await using var app = new AppInstance($"127.0.0.1:{closedPort}", "down:", o => o.TimeProvider = clock); // default 2 s timeout

        for (var set = 0; set < 3; set++)
        {
            if (set == 2)
            {
                clock.Advance(TimeSpan.FromSeconds(31)); // the pause is over: the third run tries Redis again
            }

            var result = await app.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(set: set), cancellationToken: Ct);
            Assert.Equal(await ReferenceAsync(set), PipelineCachingTests.Summary(result));
            Assert.Equal(12, result.Ranked.Count);
        }

        Assert.Equal(2, app.Distributed.Health.Errors); // run 1 and run 3; run 2 skipped the paused tier
        Assert.True(app.Distributed.IsPaused);
        Assert.Equal(1, app.Log.Count(500));
        Assert.Contains(app.Log.Entries, e => e.EventId.Id == 500 && e.Level == LogLevel.Warning && e.Message.Contains("distributed", StringComparison.Ordinal));
        Assert.Equal(39, app.Image.ImagesEncoded); // everything computed: 3 × 13
    }

    [Fact]
    public async Task Redis_stopped_mid_run_leaves_the_pipeline_answering_with_the_same_results()
    {
        await using var server = await RedisServer.StartAsync(Ct);
        var instance = $"richscoring-tests-{Guid.NewGuid():N}:";
        await using var writer = new AppInstance(server.Endpoint, instance);
        await using var reader = new AppInstance(server.Endpoint, instance);
        await using var late = new AppInstance(server.Endpoint, instance);
        await writer.ConnectAsync();
        await reader.ConnectAsync();

        // 1. The writer fills Redis; the reader is served from it.
        var written = await writer.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(), cancellationToken: Ct);
        var read = await reader.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(), cancellationToken: Ct);
        Assert.Equal(1, reader.Image.ImagesEncoded);
        Assert.Equal(PipelineCachingTests.Summary(written), PipelineCachingTests.Summary(read));

        // 2. Redis dies during a batch: after the lookups, while the images are being encoded, before the writes.
        reader.Image.OnEncode = _ => server.Kill();
        var during = await reader.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(set: 1), cancellationToken: Ct);
        reader.Image.OnEncode = null;
        Assert.False(server.IsRunning);
        Assert.Equal(await ReferenceAsync(1), PipelineCachingTests.Summary(during));
        Assert.True(reader.Distributed.Health.Errors >= 1, "the failed writes were not counted");
        Assert.Equal(1, reader.Log.Count(500));

        // 3. An instance that starts its work after the crash: nothing to read, everything computed, same answer.
        var after = await late.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(), cancellationToken: Ct);
        Assert.Equal(PipelineCachingTests.Summary(written), PipelineCachingTests.Summary(after));
        Assert.Equal(13, late.Image.ImagesEncoded);
        Assert.Equal(1, late.Distributed.Health.Errors); // one failed lookup, then the tier is paused
        Assert.Equal(1, late.Log.Count(500));

        // 4. The reader keeps answering from memory and its own encoder.
        var again = await reader.Pipeline.ScoreAsync(PipelineCachingTests.Candidates(set: 2), cancellationToken: Ct);
        Assert.Equal(await ReferenceAsync(2), PipelineCachingTests.Summary(again));
    }

    /// <summary>The results of a pipeline without any shared cache, to compare against.</summary>
    private static async Task<List<(string Id, CandidateStatus Status, int? Rank, float? Score)>> ReferenceAsync(int set)
    {
        using var pipeline = PipelineCachingTests.Builder(new RgbTextEncoder(), new RgbImageEncoder()).Build();
        return PipelineCachingTests.Summary(await pipeline.ScoreAsync(PipelineCachingTests.Candidates(set: set), cancellationToken: Ct));
    }

    /// <summary>One "app": its own service provider (own Redis connection), encoders, pipeline and log.</summary>
    private sealed class AppInstance : IAsyncDisposable
    {
        public AppInstance(string configuration, string instanceName, Action<DistributedEmbeddingCacheOptions>? configure = null)
        {
            var services = new ServiceCollection();
            services.AddSingleton<ILoggerFactory>(Log);
            services.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = configuration;
                o.InstanceName = instanceName;
            });
            services.AddRichScoring(b => PipelineCachingTests.Configure(b, Text, Image).UseDistributedCache(configure));
            Services = services.BuildServiceProvider();
            Pipeline = Services.GetRequiredService<ScoringPipeline>();
            var tiers = Assert.IsType<TieredEmbeddingCache>(Assert.IsType<CachingImageEncoder>(Pipeline.ImageEncoder).Cache);
            Distributed = Assert.IsType<DistributedEmbeddingCache>(tiers.Tiers[^1]);
        }

        public RgbTextEncoder Text { get; } = new();

        public RgbImageEncoder Image { get; } = new();

        public CapturingLoggerFactory Log { get; } = new();

        public ServiceProvider Services { get; }

        public ScoringPipeline Pipeline { get; }

        public DistributedEmbeddingCache Distributed { get; }

        /// <summary>
        /// Opens the Redis connection outside the tier's timeout, as a host's start-up would: on a loaded CI machine the
        /// first connection (and its JIT) could otherwise trip the 2 s timeout of a test about something else.
        /// </summary>
        public async Task ConnectAsync() => await Services.GetRequiredService<IDistributedCache>().GetAsync("connect", Ct);

        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }
}
