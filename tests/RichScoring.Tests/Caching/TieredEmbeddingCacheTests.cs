namespace RichScoring.Tests.Caching;

public class TieredEmbeddingCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lower_tier_hit_fills_the_tiers_above_it()
    {
        var memory = new MemoryEmbeddingCache();
        var middle = new MemoryEmbeddingCache();
        var store = new ControllableDistributedCache();
        var distributed = new DistributedEmbeddingCache(store);
        var tiered = new TieredEmbeddingCache(memory, middle, distributed);
        var a = MemoryEmbeddingCacheTests.Entry(1);
        var b = MemoryEmbeddingCacheTests.Entry(2);
        await distributed.SetAsync([a], Ct);
        await middle.SetAsync([b], Ct);

        var found = await tiered.GetAsync([a.Key, b.Key, MemoryEmbeddingCacheTests.Key(3)], Ct);

        Assert.Equal(a.Vector.ToArray(), found[0]);
        Assert.Equal(b.Vector.ToArray(), found[1]);
        Assert.Null(found[2]);
        Assert.Equal(2, memory.Count); // both filled into the top
        Assert.Equal(2, middle.Count); // a filled into the middle; b was already there
        var requests = store.Requests;

        await tiered.GetAsync([a.Key, b.Key], Ct);
        Assert.Equal(requests, store.Requests); // now answered from memory
    }

    [Fact]
    public async Task A_write_reaches_every_tier()
    {
        var memory = new MemoryEmbeddingCache();
        var store = new ControllableDistributedCache();
        var distributed = new DistributedEmbeddingCache(store);
        var tiered = new TieredEmbeddingCache(memory, distributed);
        var entry = MemoryEmbeddingCacheTests.Entry(1);

        await tiered.SetAsync([entry], Ct);

        Assert.Equal(entry.Vector.ToArray(), (await memory.GetAsync([entry.Key], Ct))[0]);
        Assert.Equal(entry.Vector.ToArray(), (await distributed.GetAsync([entry.Key], Ct))[0]);
        Assert.Same(memory, tiered.Tiers[0]);
    }

    [Fact]
    public async Task A_throwing_custom_tier_counts_as_missing_and_the_others_still_answer()
    {
        var memory = new MemoryEmbeddingCache();
        var log = new CapturingLoggerFactory();
        var tiered = new TieredEmbeddingCache([new ThrowingCache(), memory], log);
        var entry = MemoryEmbeddingCacheTests.Entry(1);

        await tiered.SetAsync([entry], Ct); // the broken tier throws; memory is still written
        var found = await tiered.GetAsync([entry.Key], Ct);

        Assert.Equal(entry.Vector.ToArray(), found[0]);
        Assert.Equal(1, log.Count(500)); // two failures, one warning
        Assert.Contains(log.Entries, e => e.Message.Contains(nameof(ThrowingCache), StringComparison.Ordinal));
    }

    [Fact]
    public void Needs_a_tier()
    {
        Assert.Throws<ArgumentException>(() => new TieredEmbeddingCache());
        Assert.Throws<ArgumentException>(() => new TieredEmbeddingCache(new MemoryEmbeddingCache(), null!));
    }

    private sealed class ThrowingCache : IEmbeddingCache
    {
        public ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("broken tier");

        public ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default) =>
            throw new UnauthorizedAccessException("broken tier");
    }
}
