using RichScoring.Tests.Embeddings;

namespace RichScoring.Tests.Caching;

public class CachingTextEncoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_shared_cache_serves_a_second_encoder_and_repeats_within_a_batch_are_sent_once()
    {
        var cache = new MemoryEmbeddingCache();
        var first = new CharacterHistogramEncoder();
        var second = new CharacterHistogramEncoder();
        using var a = new CachingTextEncoder(first, cache);
        using var b = new CachingTextEncoder(second, cache);

        await a.EncodeAsync(["duck", "goose", "duck"], Ct);
        var result = await b.EncodeAsync(["goose", "duck", "swan"], Ct);

        Assert.Equal(1, first.Calls);
        Assert.Equal(1, second.Calls); // only "swan"
        Assert.Equal(3, a.Misses); // duck, goose and the second duck were all computed now
        Assert.Equal(2, b.Hits);
        Assert.Equal(CharacterHistogramEncoder.Expected("goose"), result.GetRow(0).ToArray());
        Assert.Equal(CharacterHistogramEncoder.Expected("swan"), result.GetRow(2).ToArray());
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task Texts_and_images_with_the_same_bytes_do_not_collide()
    {
        var cache = new MemoryEmbeddingCache();
        using var text = new CachingTextEncoder(new CharacterHistogramEncoder(), cache);
        await text.EncodeAsync(["RGB"], Ct);

        var image = EmbeddingCacheKey.ForImage(CharacterHistogramEncoder.ModelId, "RGB"u8);

        Assert.Null((await cache.GetAsync([image], Ct))[0]);
        Assert.NotNull((await cache.GetAsync([EmbeddingCacheKey.ForText(CharacterHistogramEncoder.ModelId, "RGB")], Ct))[0]);
    }

    [Fact]
    public async Task Text_embeddings_persist_in_a_directory_across_runs()
    {
        var root = Path.Combine(Path.GetTempPath(), "richscoring-cache-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using (var run1 = new CachingTextEncoder(new CharacterHistogramEncoder(), new DirectoryEmbeddingCache(root)))
            {
                await run1.EncodeAsync(["a photo of a duck"], Ct);
            }

            var inner = new CharacterHistogramEncoder();
            using var run2 = new CachingTextEncoder(inner, new TieredEmbeddingCache(new MemoryEmbeddingCache(), new DirectoryEmbeddingCache(root)));
            var result = await run2.EncodeAsync(["a photo of a duck"], Ct);

            Assert.Equal(0, inner.Calls);
            Assert.Equal(CharacterHistogramEncoder.Expected("a photo of a duck"), result.GetRow(0).ToArray());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
