using System.Diagnostics.Metrics;

namespace RichScoring;

/// <summary>The embedding cache's instruments, on the shared "RichScoring" meter.</summary>
internal static class CacheTelemetry
{
    /// <summary>Failed cache operations, tagged with <c>tier</c> (memory, directory, distributed, or a custom type) and <c>operation</c> (get, set).</summary>
    public static readonly Counter<long> Errors = RichScoringTelemetry.Meter.CreateCounter<long>(
        "richscoring.cache.errors", "{error}", "Embedding cache operations that failed (the cache then answers as a miss).");

    /// <summary>Entries that were found but rejected (corrupt, truncated, wrong version or size), tagged with <c>tier</c>.</summary>
    public static readonly Counter<long> InvalidEntries = RichScoringTelemetry.Meter.CreateCounter<long>(
        "richscoring.cache.invalid_entries", "{entry}", "Embedding cache entries ignored as corrupt, truncated, wrong-version or wrong-sized.");

    /// <summary>Lookups the distributed tier skipped because its circuit was open after a failure.</summary>
    public static readonly Counter<long> Skipped = RichScoringTelemetry.Meter.CreateCounter<long>(
        "richscoring.cache.skipped", "{lookup}", "Keys not looked up in a tier that is paused after a failure.");

    /// <summary>Records hits and misses of one batch on <see cref="RichScoringTelemetry.CacheLookups"/>.</summary>
    public static void RecordLookups(EmbeddingKind kind, int hits, int misses)
    {
        var kindTag = new KeyValuePair<string, object?>("kind", kind == EmbeddingKind.Image ? "image" : "text");
        if (hits > 0)
        {
            RichScoringTelemetry.CacheLookups.Add(hits, new KeyValuePair<string, object?>("result", "hit"), kindTag);
        }

        if (misses > 0)
        {
            RichScoringTelemetry.CacheLookups.Add(misses, new KeyValuePair<string, object?>("result", "miss"), kindTag);
        }
    }
}
