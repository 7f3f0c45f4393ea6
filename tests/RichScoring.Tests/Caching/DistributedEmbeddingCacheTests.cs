using Microsoft.Extensions.Caching.Distributed;

namespace RichScoring.Tests.Caching;

public class DistributedEmbeddingCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmbeddingCacheEntry Entry(int i) =>
        new(EmbeddingCacheKey.ForImage("test/model", [(byte)i, 1]), EmbeddingEntryCodecTests.UnitVector(32, i));

    [Fact]
    public async Task Round_trips_through_a_real_distributed_cache_under_prefixed_keys()
    {
        var store = new ControllableDistributedCache();
        var cache = new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { KeyPrefix = "app1:" });
        EmbeddingCacheEntry[] entries = [Entry(1), Entry(2)];

        await cache.SetAsync(entries, Ct);
        var found = await cache.GetAsync([entries[0].Key, Entry(3).Key, entries[1].Key], Ct);

        Assert.Equal(entries[0].Vector.ToArray(), found[0]);
        Assert.Null(found[1]);
        Assert.Equal(entries[1].Vector.ToArray(), found[2]);
        var name = $"app1:{entries[0].Key.ModelTag}:i:{entries[0].Key.Digest}";
        Assert.Equal(name, cache.KeyOf(entries[0].Key));
        Assert.Equal(EmbeddingEntryCodec.Encode(entries[0].Key, entries[0].Vector.Span, EmbeddingPrecision.Float32), await store.Store.GetAsync(name, Ct));
    }

    [Fact]
    public async Task A_corrupt_or_foreign_entry_is_a_counted_miss()
    {
        var store = new ControllableDistributedCache();
        var cache = new DistributedEmbeddingCache(store);
        var entry = Entry(1);
        await store.Store.SetAsync(cache.KeyOf(entry.Key), [1, 2, 3, 4, 5], new DistributedCacheEntryOptions(), Ct);
        var other = Entry(2);
        await store.Store.SetAsync(cache.KeyOf(other.Key), EmbeddingEntryCodec.Encode(EmbeddingCacheKey.ForImage("other/model", [2, 1]), other.Vector.Span, EmbeddingPrecision.Float32), new DistributedCacheEntryOptions(), Ct);

        var found = await cache.GetAsync([entry.Key, other.Key], Ct);

        Assert.Equal([null, null], found);
        Assert.Equal(2, cache.Health.InvalidEntries);
        Assert.Equal(0, cache.Health.Errors);
    }

    [Fact]
    public async Task A_failing_server_is_counted_logged_once_and_paused_until_the_break_is_over()
    {
        var store = new ControllableDistributedCache { Mode = ControllableDistributedCache.Behaviour.Throws };
        var clock = new ManualTimeProvider();
        var log = new CapturingLoggerFactory();
        var cache = new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { BreakDuration = TimeSpan.FromSeconds(30), TimeProvider = clock }, log);
        var entry = Entry(1);

        Assert.Equal([null], await cache.GetAsync([entry.Key], Ct)); // fails: a miss, not an exception
        Assert.True(cache.IsPaused);
        var requests = store.Requests;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal([null], await cache.GetAsync([entry.Key], Ct));
            await cache.SetAsync([entry], Ct);
        }

        Assert.Equal(requests, store.Requests); // paused: nobody waited on the dead server
        Assert.Equal(1, cache.Health.Errors);

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(cache.IsPaused);
        await cache.SetAsync([entry], Ct); // tries again, fails again: counted, not logged again
        Assert.Equal(2, cache.Health.Errors);
        Assert.Equal(1, log.Count(500));

        store.Mode = ControllableDistributedCache.Behaviour.Works;
        clock.Advance(TimeSpan.FromSeconds(31));
        await cache.SetAsync([entry], Ct);
        Assert.Equal(entry.Vector.ToArray(), (await cache.GetAsync([entry.Key], Ct))[0]);
        Assert.Equal(1, log.Count(501)); // recovered, once
        Assert.False(cache.Health.IsFailing);
    }

    [Fact]
    public async Task A_hung_server_costs_one_timeout_then_the_tier_is_skipped()
    {
        var store = new ControllableDistributedCache { Mode = ControllableDistributedCache.Behaviour.Hangs };
        var cache = new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { Timeout = TimeSpan.FromMilliseconds(100), MaxConcurrency = 4 });
        var keys = Enumerable.Range(0, 50).Select(i => Entry(i).Key).ToList();

        var found = await cache.GetAsync(keys, Ct);

        Assert.All(found, Assert.Null);
        Assert.Equal(1, cache.Health.Errors);
        Assert.True(cache.IsPaused);
        Assert.Equal(4, store.Requests); // at most MaxConcurrency requests were started before it gave up
        Assert.All(await cache.GetAsync(keys, Ct), Assert.Null);
        Assert.Equal(4, store.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_thrown_not_swallowed()
    {
        var store = new ControllableDistributedCache { Mode = ControllableDistributedCache.Behaviour.Hangs };
        var cache = new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { Timeout = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cache.GetAsync([Entry(1).Key], cts.Token));
        Assert.Equal(0, cache.Health.Errors);
        Assert.False(cache.IsPaused);
    }

    [Fact]
    public async Task Float16_entries_carry_half_the_bytes()
    {
        var store = new ControllableDistributedCache();
        var cache = new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { Precision = EmbeddingPrecision.Float16 });
        var entry = new EmbeddingCacheEntry(EmbeddingCacheKey.ForText("test/model", "duck"), EmbeddingEntryCodecTests.UnitVector(512, 9));

        await cache.SetAsync([entry], Ct);

        var raw = await store.Store.GetAsync(cache.KeyOf(entry.Key), Ct);
        Assert.Equal(EmbeddingEntryCodec.HeaderSize + "test/model".Length + 1024 + EmbeddingEntryCodec.TrailerSize, raw!.Length);
        var back = (await cache.GetAsync([entry.Key], Ct))[0]!;
        Assert.True(TensorDot(back, entry.Vector.Span) > 1 - 1e-6);
    }

    [Fact]
    public void Options_are_validated()
    {
        var store = new ControllableDistributedCache();
        Assert.Throws<ArgumentException>(() => new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentException>(() => new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { BreakDuration = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { TimeToLive = TimeSpan.Zero }));
    }

    private static double TensorDot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
        }

        return dot;
    }
}
