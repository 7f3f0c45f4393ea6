using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// Stacks caches, fastest first (typically memory → directory → distributed): a lookup asks each tier only for the keys
/// the tiers above it missed, and a hit in a lower tier is copied into the tiers above it; a write goes to every tier.
/// </summary>
/// <remarks>
/// A tier that throws (a custom one; the built-in tiers do not) is treated as missing everything for that call, counted
/// and logged once. Thread-safe when its tiers are.
/// </remarks>
public sealed class TieredEmbeddingCache : IEmbeddingCache
{
    private readonly GuardedEmbeddingCache[] _tiers;

    /// <summary>Stacks the given caches.</summary>
    /// <param name="tiers">The tiers, fastest first; at least one.</param>
    public TieredEmbeddingCache(params IEmbeddingCache[] tiers)
        : this(tiers, null)
    {
    }

    /// <summary>Stacks the given caches.</summary>
    /// <param name="tiers">The tiers, fastest first; at least one.</param>
    /// <param name="loggerFactory">Where a failing custom tier is logged.</param>
    public TieredEmbeddingCache(IEnumerable<IEmbeddingCache> tiers, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var list = tiers.ToArray();
        if (list.Length == 0 || list.Any(t => t is null))
        {
            throw new ArgumentException("A tiered cache needs at least one tier, and no null ones.", nameof(tiers));
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TieredEmbeddingCache>();
        _tiers = [.. list.Select(t => new GuardedEmbeddingCache(t, logger))];
        Tiers = [.. list];
    }

    /// <summary>The tiers, fastest first.</summary>
    public IReadOnlyList<IEmbeddingCache> Tiers { get; }

    /// <inheritdoc />
    public async ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new float[]?[keys.Count];
        var pending = Enumerable.Range(0, keys.Count).ToList();
        for (var t = 0; t < _tiers.Length && pending.Count > 0; t++)
        {
            var asked = pending.Count == keys.Count ? keys : [.. pending.Select(i => keys[i])];
            var answers = await _tiers[t].GetAsync(asked, cancellationToken).ConfigureAwait(false);
            var fills = new List<EmbeddingCacheEntry>();
            var stillMissing = new List<int>(pending.Count);
            for (var j = 0; j < pending.Count; j++)
            {
                if (answers[j] is { } vector)
                {
                    found[pending[j]] = vector;
                    fills.Add(new EmbeddingCacheEntry(asked[j], vector));
                }
                else
                {
                    stillMissing.Add(pending[j]);
                }
            }

            if (t > 0 && fills.Count > 0)
            {
                await SetAsync(_tiers.AsMemory(0, t), fills, cancellationToken).ConfigureAwait(false);
            }

            pending = stillMissing;
        }

        return found;
    }

    /// <inheritdoc />
    public ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Count == 0 ? ValueTask.CompletedTask : SetAsync(_tiers, entries, cancellationToken);
    }

    private static async ValueTask SetAsync(ReadOnlyMemory<GuardedEmbeddingCache> tiers, IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken)
    {
        if (tiers.Length == 1)
        {
            await tiers.Span[0].SetAsync(entries, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The slow tiers (disk, network) write side by side.
        var writes = new Task[tiers.Length];
        for (var t = 0; t < tiers.Length; t++)
        {
            writes[t] = tiers.Span[t].SetAsync(entries, cancellationToken).AsTask();
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }
}
