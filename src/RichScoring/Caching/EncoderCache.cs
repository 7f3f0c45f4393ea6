using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>
/// What the caching encoders share: guarded lookups that reject entries of the wrong size, guarded writes, and the
/// hit/miss counts (per instance and on <c>richscoring.cache.lookups</c>).
/// </summary>
internal sealed class EncoderCache(IEmbeddingCache cache, EmbeddingKind kind, ILogger logger)
{
    private readonly GuardedEmbeddingCache _guard = new(cache, logger);
    private long _hits;
    private long _misses;

    public IEmbeddingCache Cache => cache;

    public CacheHealth Health => _guard.Health;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Looks the keys up; an entry whose length is not the model's dimension counts as invalid and missing.</summary>
    public async ValueTask<float[]?[]> LookupAsync(IReadOnlyList<EmbeddingCacheKey> keys, int dimension, CancellationToken cancellationToken)
    {
        var found = await _guard.GetAsync(keys, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i] is { } vector && vector.Length != dimension)
            {
                _guard.Health.Invalid(keys[i], $"it holds {vector.Length} values where the model has {dimension}");
                found[i] = null;
            }
        }

        return found;
    }

    public ValueTask StoreAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0 ? ValueTask.CompletedTask : _guard.SetAsync(entries, cancellationToken);

    public void Count(int hits, int misses)
    {
        Interlocked.Add(ref _hits, hits);
        Interlocked.Add(ref _misses, misses);
        CacheTelemetry.RecordLookups(kind, hits, misses);
    }

    /// <summary>Whether a cached row may be passed on as unit-norm (float16 entries are renormalized when read).</summary>
    public static bool IsUnitOrZero(ReadOnlySpan<float> row)
    {
        var squared = TensorPrimitives.SumOfSquares(row);
        return squared == 0 || MathF.Abs(squared - 1f) <= 2e-3f;
    }
}
