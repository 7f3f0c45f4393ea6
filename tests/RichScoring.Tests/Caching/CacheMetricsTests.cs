using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RichScoring.Tests.Caching;

[CollectionDefinition(nameof(CacheMetricsTests), DisableParallelization = true)]
public sealed class CacheMetricsTestGroup;

/// <summary>Reads the shared "RichScoring" meter, so it runs alone (no other test adds measurements meanwhile).</summary>
[Collection(nameof(CacheMetricsTests))]
public class CacheMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hits_misses_errors_and_invalid_entries_are_measured_with_their_tags()
    {
        var measured = new ConcurrentQueue<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RichScoringTelemetry.Name && instrument.Name.StartsWith("richscoring.cache.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        var memory = new MemoryEmbeddingCache();
        using var encoder = new CachingImageEncoder(new RgbImageEncoder(), new TieredEmbeddingCache(memory, new FailingTier()));
        ImageInput[] batch = [new("a", RgbImageEncoder.Image(1, 2, 3)), new("b", RgbImageEncoder.Image(4, 5, 6))];
        await memory.SetAsync([new EmbeddingCacheEntry(EmbeddingCacheKey.ForImage(RgbImageEncoder.ModelId, batch[1].Data.Span), new float[] { 1, 2 })], Ct);

        await encoder.EncodeAsync(batch, Ct); // b's entry has the wrong size: two misses; the failing tier fails get and set
        await encoder.EncodeAsync(batch, Ct); // two hits

        long Sum(string name, params (string Key, string Value)[] tags) =>
            measured.Where(m => m.Name == name && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

        Assert.Equal(2, Sum("richscoring.cache.lookups", ("result", "hit"), ("kind", "image")));
        Assert.Equal(2, Sum("richscoring.cache.lookups", ("result", "miss"), ("kind", "image")));
        Assert.Equal(1, Sum("richscoring.cache.errors", ("tier", nameof(FailingTier)), ("operation", "get")));
        Assert.Equal(1, Sum("richscoring.cache.errors", ("tier", nameof(FailingTier)), ("operation", "set")));
        Assert.Equal(1, Sum("richscoring.cache.invalid_entries", ("tier", "tiered")));
    }

    private sealed class FailingTier : IEmbeddingCache
    {
        public ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<float[]?[]>(new IOException("down"));

        public ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("down"));
    }
}
