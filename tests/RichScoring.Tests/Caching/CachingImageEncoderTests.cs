namespace RichScoring.Tests.Caching;

public class CachingImageEncoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ImageInput Input(string id, byte r, byte g, byte b, int seed = 0) => new(id, RgbImageEncoder.Image(r, g, b, seed));

    [Fact]
    public async Task Only_misses_reach_the_inner_encoder_in_one_batch()
    {
        var inner = new RgbImageEncoder();
        using var cached = new CachingImageEncoder(inner, new MemoryEmbeddingCache());
        ImageInput[] first = [Input("a", 200, 0, 0), Input("b", 0, 200, 0)];
        ImageInput[] second = [Input("b again", 0, 200, 0), Input("c", 0, 0, 200), Input("a again", 200, 0, 0), Input("d", 9, 9, 9)];

        await cached.EncodeAsync(first, Ct);
        var result = await cached.EncodeAsync(second, Ct);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(4, inner.ImagesEncoded); // a, b, then only c and d
        Assert.Equal(2, cached.Hits);
        Assert.Equal(4, cached.Misses);
        for (var i = 0; i < second.Length; i++)
        {
            Assert.True(result.IsSuccess(i));
            Assert.Equal(RgbImageEncoder.Expected(second[i].Data.Span), result.Embeddings.GetRow(i).ToArray());
        }

        Assert.Equal(RgbImageEncoder.ModelId, result.Embeddings.ModelId);
        Assert.True(result.Embeddings.IsNormalized);
    }

    [Fact]
    public async Task The_same_bytes_twice_in_one_batch_are_encoded_once()
    {
        var inner = new RgbImageEncoder();
        using var cached = new CachingImageEncoder(inner, new MemoryEmbeddingCache());
        var image = RgbImageEncoder.Image(10, 20, 30);

        var result = await cached.EncodeAsync([new ImageInput("x", image), new ImageInput("y", image.ToArray())], Ct);

        Assert.Equal(1, inner.ImagesEncoded);
        Assert.Equal(result.Embeddings.GetRow(0).ToArray(), result.Embeddings.GetRow(1).ToArray());
        Assert.Equal(RgbImageEncoder.Expected(image), result.Embeddings.GetRow(1).ToArray());
    }

    [Fact]
    public async Task Failed_images_are_not_cached_and_fail_again_with_their_own_error()
    {
        var inner = new RgbImageEncoder();
        var cache = new MemoryEmbeddingCache();
        using var cached = new CachingImageEncoder(inner, cache);
        ImageInput[] batch = [Input("good", 1, 2, 3), new("bad", "<html>"u8.ToArray())];

        var first = await cached.EncodeAsync(batch, Ct);
        var second = await cached.EncodeAsync(batch, Ct);

        Assert.Equal(1, cache.Count);
        Assert.Equal(3, inner.ImagesEncoded); // good once, bad twice
        foreach (var result in new[] { first, second })
        {
            Assert.True(result.IsSuccess(0));
            Assert.IsType<InvalidImageException>(result.GetError(1));
            Assert.Contains("bad", result.GetError(1)!.Message, StringComparison.Ordinal);
            Assert.Equal(new float[RgbImageEncoder.Dimension], result.Embeddings.GetRow(1).ToArray());
        }
    }

    [Fact]
    public async Task A_cached_entry_of_the_wrong_size_is_recomputed_and_replaced()
    {
        var inner = new RgbImageEncoder();
        var cache = new MemoryEmbeddingCache();
        using var cached = new CachingImageEncoder(inner, cache);
        var image = Input("x", 50, 60, 70);
        var key = EmbeddingCacheKey.ForImage(RgbImageEncoder.ModelId, image.Data.Span);
        await cache.SetAsync([new EmbeddingCacheEntry(key, new float[] { 1, 0, 0 })], Ct); // 3 values; the model has 4

        var result = await cached.EncodeAsync([image], Ct);

        Assert.Equal(RgbImageEncoder.Expected(image.Data.Span), result.Embeddings.GetRow(0).ToArray());
        Assert.Equal(1, inner.ImagesEncoded);
        Assert.Equal(1, cached.Health.InvalidEntries);
        Assert.Equal(RgbImageEncoder.Expected(image.Data.Span), (await cache.GetAsync([key], Ct))[0]);
    }

    [Fact]
    public async Task A_cache_that_throws_never_fails_the_encoder()
    {
        var inner = new RgbImageEncoder();
        var log = new CapturingLoggerFactory();
        using var cached = new CachingImageEncoder(inner, new BrokenCache(), log);
        ImageInput[] batch = [Input("a", 1, 2, 3), Input("b", 4, 5, 6)];

        var first = await cached.EncodeAsync(batch, Ct);
        var second = await cached.EncodeAsync(batch, Ct);

        Assert.Equal(4, inner.ImagesEncoded);
        Assert.Equal(RgbImageEncoder.Expected(batch[1].Data.Span), second.Embeddings.GetRow(1).ToArray());
        Assert.Equal(first.Embeddings.Span.ToArray(), second.Embeddings.Span.ToArray());
        Assert.Equal(4, cached.Health.Errors); // two gets, two sets
        Assert.Equal(1, log.Count(500));
    }

    [Fact]
    public async Task Without_metadata_the_model_is_learned_from_the_first_answer()
    {
        var inner = new RgbImageEncoder { OffersMetadata = false };
        using var cached = new CachingImageEncoder(inner, new MemoryEmbeddingCache());
        ImageInput[] batch = [Input("a", 1, 2, 3)];

        await cached.EncodeAsync(batch, Ct);
        var again = await cached.EncodeAsync(batch, Ct);

        Assert.Equal(1, inner.ImagesEncoded);
        Assert.Equal(1, cached.Hits);
        Assert.Equal(RgbImageEncoder.Expected(batch[0].Data.Span), again.Embeddings.GetRow(0).ToArray());
    }

    [Fact]
    public async Task Concurrent_calls_get_the_right_rows()
    {
        var inner = new RgbImageEncoder();
        using var cached = new CachingImageEncoder(inner, new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxEntries = 8 }));
        var images = Enumerable.Range(0, 12).Select(i => Input("i" + i, (byte)(i * 20), (byte)(255 - (i * 20)), 7, seed: i)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 48).Select(k => Task.Run(() => cached.EncodeAsync([images[k % 12], images[(k * 5) % 12]], Ct), Ct)));

        for (var k = 0; k < 48; k++)
        {
            Assert.Equal(RgbImageEncoder.Expected(images[k % 12].Data.Span), results[k].Embeddings.GetRow(0).ToArray());
            Assert.Equal(RgbImageEncoder.Expected(images[(k * 5) % 12].Data.Span), results[k].Embeddings.GetRow(1).ToArray());
        }

        Assert.Equal(96, cached.Hits + cached.Misses);
    }

    [Fact]
    public async Task Float16_cached_rows_come_back_unit_norm_and_close()
    {
        var store = new ControllableDistributedCache();
        var inner = new RgbImageEncoder();
        var cache = new DistributedEmbeddingCache(store, new DistributedEmbeddingCacheOptions { Precision = EmbeddingPrecision.Float16 });
        using var writer = new CachingImageEncoder(inner, cache);
        using var reader = new CachingImageEncoder(new RgbImageEncoder(), cache);
        var image = Input("x", 120, 30, 240);

        await writer.EncodeAsync([image], Ct);
        var result = await reader.EncodeAsync([image], Ct);

        Assert.Equal(1, reader.Hits);
        Assert.True(result.Embeddings.IsNormalized);
        var expected = RgbImageEncoder.Expected(image.Data.Span);
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.Equal(expected[i], result.Embeddings.GetRow(0)[i], 1e-3));
    }

    [Fact]
    public void Disposing_disposes_the_inner_encoder()
    {
        var inner = new RgbImageEncoder();
        new CachingImageEncoder(inner, new MemoryEmbeddingCache()).Dispose();
        Assert.True(inner.Disposed);
    }

    private sealed class BrokenCache : IEmbeddingCache
    {
        public ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<float[]?[]>(new IOException("down"));

        public ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("down"));
    }
}
