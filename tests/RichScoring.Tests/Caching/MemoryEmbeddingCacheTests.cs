namespace RichScoring.Tests.Caching;

public class MemoryEmbeddingCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static EmbeddingCacheKey Key(int i, string model = "m") => EmbeddingCacheKey.ForText(model, "text " + i);

    internal static EmbeddingCacheEntry Entry(int i, int dimension = 4) =>
        new(Key(i), Enumerable.Range(0, dimension).Select(d => (float)(i + d)).ToArray());

    [Fact]
    public async Task Stores_and_returns_copies_by_key()
    {
        var cache = new MemoryEmbeddingCache();
        float[] vector = [1, 2, 3];

        await cache.SetAsync([new EmbeddingCacheEntry(Key(1), vector)], Ct);
        vector[0] = 99; // the caller's buffer is not the cache's

        var found = await cache.GetAsync([Key(1), Key(2), Key(1, model: "other")], Ct);
        Assert.Equal([1f, 2f, 3f], found[0]!);
        Assert.Null(found[1]);
        Assert.Null(found[2]); // the same text under another model is another entry
    }

    [Fact]
    public async Task Evicts_the_least_recently_used_beyond_the_entry_bound()
    {
        var cache = new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxEntries = 3 });
        await cache.SetAsync([Entry(1), Entry(2), Entry(3)], Ct);
        await cache.GetAsync([Key(1)], Ct); // 1 is now the most recent: 2 is the least

        await cache.SetAsync([Entry(4)], Ct);

        var found = await cache.GetAsync([Key(1), Key(2), Key(3), Key(4)], Ct);
        Assert.Equal([true, false, true, true], found.Select(f => f is not null));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task Evicts_beyond_the_byte_bound()
    {
        var perEntry = (8 * sizeof(float)) + MemoryEmbeddingCache.EntryOverhead;
        var cache = new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxBytes = (2 * perEntry) + 10 });

        await cache.SetAsync([Entry(1, 8), Entry(2, 8), Entry(3, 8)], Ct);

        Assert.Equal(2, cache.Count);
        Assert.Equal(2 * perEntry, cache.Bytes);
        Assert.Null((await cache.GetAsync([Key(1)], Ct))[0]);

        // An entry larger than the whole bound is not kept (it would only flush everything else).
        await cache.SetAsync([Entry(9, 10_000)], Ct);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Overwriting_replaces_the_value_and_keeps_the_count()
    {
        var cache = new MemoryEmbeddingCache();
        await cache.SetAsync([new EmbeddingCacheEntry(Key(1), new float[] { 1 })], Ct);
        await cache.SetAsync([new EmbeddingCacheEntry(Key(1), new float[] { 2, 3 })], Ct);

        var found = await cache.GetAsync([Key(1)], Ct);
        Assert.Equal([2f, 3f], found[0]!);
        Assert.Equal(1, cache.Count);
        Assert.Equal((2 * sizeof(float)) + MemoryEmbeddingCache.EntryOverhead, cache.Bytes);
    }

    [Fact]
    public async Task Stays_consistent_and_bounded_under_concurrent_use()
    {
        var cache = new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxEntries = 50 });

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), Ct, async (i, ct) =>
        {
            await cache.SetAsync([Entry(i % 80)], ct);
            var found = await cache.GetAsync([Key(i % 80)], ct);
            if (found[0] is { } v)
            {
                Assert.True(Entry(i % 80).Vector.ToArray().SequenceEqual(v), "another key's vector came back");
            }
        });

        Assert.True(cache.Count <= 50, $"{cache.Count} entries");
        Assert.Equal((long)cache.Count * ((4 * sizeof(float)) + MemoryEmbeddingCache.EntryOverhead), cache.Bytes);
    }

    [Fact]
    public void Bounds_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxEntries = 0 }));
        Assert.Throws<ArgumentException>(() => new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxBytes = 0 }));
    }
}
