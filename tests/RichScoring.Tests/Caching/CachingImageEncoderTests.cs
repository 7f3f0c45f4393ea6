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
    public async Task An_image_one_call_is_encoding_is_not_encoded_again_by_a_concurrent_call()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        var inner = new RgbImageEncoder();
        inner.OnEncode = batch =>
        {
            if (batch.Any(i => i.Id == "x"))
            {
                entered.Release();
                gate.Wait(TimeSpan.FromSeconds(20)); // held until the other call is waiting for x
            }
        };
        using var cached = new CachingImageEncoder(inner, new MemoryEmbeddingCache());
        var x = RgbImageEncoder.Image(200, 10, 10);
        ImageInput[] first = [new("x", x), Input("y", 10, 200, 10)];
        ImageInput[] second = [new("x, same bytes", x.ToArray()), Input("z", 10, 10, 200)];

        var a = Task.Run(() => cached.EncodeAsync(first, Ct), Ct);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        var b = Task.Run(() => cached.EncodeAsync(second, Ct), Ct);

        // b encodes z on its own, but cannot finish while x is still being encoded by a.
        Assert.True(SpinWait.SpinUntil(() => inner.Calls == 1 && inner.ImagesEncoded == 1, TimeSpan.FromSeconds(20)));
        Assert.False(b.IsCompleted);
        gate.Set();
        var (ra, rb) = (await a, await b);

        Assert.Equal(3, inner.ImagesEncoded); // x, y and z: x once
        Assert.Equal(RgbImageEncoder.Expected(x), ra.Embeddings.GetRow(0).ToArray());
        Assert.Equal(RgbImageEncoder.Expected(x), rb.Embeddings.GetRow(0).ToArray());
        Assert.Equal(RgbImageEncoder.Expected(second[1].Data.Span), rb.Embeddings.GetRow(1).ToArray());
        Assert.True(rb.Embeddings.IsNormalized);
        Assert.Equal(1, cached.Hits); // b's x was served without encoding
        Assert.Equal(3, cached.Misses);
    }

    [Fact]
    public async Task A_waiting_call_shares_the_error_or_encodes_the_image_itself_when_the_first_call_is_cancelled()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        using var otherEncoded = new SemaphoreSlim(0);
        var cancelFirst = true;
        var inner = new RgbImageEncoder();
        inner.OnEncode = batch =>
        {
            if (batch.Any(i => i.Id.StartsWith("first", StringComparison.Ordinal)))
            {
                entered.Release();
                gate.Wait(TimeSpan.FromSeconds(20));
                if (cancelFirst)
                {
                    throw new OperationCanceledException("the first caller gave up");
                }
            }
            else if (batch.Any(i => i.Id.StartsWith("other", StringComparison.Ordinal)))
            {
                otherEncoded.Release(); // the second call has registered its wait for the shared image by now
            }
        };
        using var cached = new CachingImageEncoder(inner, new MemoryEmbeddingCache());
        var image = RgbImageEncoder.Image(30, 60, 90);
        var html = "<html>"u8.ToArray();

        // The first call is cancelled while it holds the image: the waiting call encodes it itself.
        var a = Task.Run(() => cached.EncodeAsync([new ImageInput("first", image)], Ct), Ct);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        var b = Task.Run(() => cached.EncodeAsync([new ImageInput("second", image.ToArray()), Input("other", 1, 2, 3)], Ct), Ct);
        Assert.True(await otherEncoded.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.False(b.IsCompleted);
        gate.Set();
        await Assert.ThrowsAsync<OperationCanceledException>(() => a);
        var rb = await b;
        Assert.True(rb.IsSuccess(0));
        Assert.Equal(RgbImageEncoder.Expected(image), rb.Embeddings.GetRow(0).ToArray());
        Assert.Equal(2, inner.Calls); // "other", then the orphaned image: a's attempt never finished
        Assert.Equal(2, inner.ImagesEncoded);

        // A per-image error reaches the waiting call as it is, without a second attempt at the same bytes.
        cancelFirst = false;
        gate.Reset();
        var c = Task.Run(() => cached.EncodeAsync([new ImageInput("first bad", html)], Ct), Ct);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        var d = Task.Run(() => cached.EncodeAsync([new ImageInput("second bad", html.ToArray()), Input("other 2", 4, 5, 6)], Ct), Ct);
        Assert.True(await otherEncoded.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        gate.Set();
        var (rc, rd) = (await c, await d);
        Assert.IsType<InvalidImageException>(rc.GetError(0));
        Assert.Same(rc.GetError(0), rd.GetError(0));
        Assert.True(rd.IsSuccess(1));
        Assert.Equal(4, inner.ImagesEncoded); // the page once, "other 2" once
        Assert.Equal(0, cached.Hits); // neither an orphaned image nor a shared failure counts as a cache hit
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
