using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>
/// Calls a cache that may throw (a user's own <see cref="IEmbeddingCache"/>) so that it never does: an exception other
/// than the caller's cancellation becomes a miss (get) or a skipped write (set), counted and logged once.
/// </summary>
internal sealed class GuardedEmbeddingCache(IEmbeddingCache inner, ILogger logger)
{
    public IEmbeddingCache Inner => inner;

    public CacheHealth Health { get; } = new(TierName(inner), logger);

    public static string TierName(IEmbeddingCache cache) => cache switch
    {
        MemoryEmbeddingCache => "memory",
        DirectoryEmbeddingCache => "directory",
        DistributedEmbeddingCache => "distributed",
        TieredEmbeddingCache => "tiered",
        _ => cache.GetType().Name,
    };

    public async ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken)
    {
        try
        {
            var found = await inner.GetAsync(keys, cancellationToken).ConfigureAwait(false);
            if (found is null || found.Length != keys.Count)
            {
                throw new InvalidOperationException($"{inner.GetType().Name}.GetAsync answered {found?.Length ?? 0} slots for {keys.Count} keys.");
            }

            Health.Succeeded();
            return found;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Health.Failed("get", ex);
            return new float[]?[keys.Count];
        }
    }

    public async ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SetAsync(entries, cancellationToken).ConfigureAwait(false);
            Health.Succeeded();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Health.Failed("set", ex);
        }
    }
}
