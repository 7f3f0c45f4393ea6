namespace RichScoring;

/// <summary>
/// Stores embeddings by <see cref="EmbeddingCacheKey"/> (model, kind, SHA-256 of the input), so an image or prompt is
/// encoded once per model. Tiers: <see cref="MemoryEmbeddingCache"/>, <see cref="DirectoryEmbeddingCache"/>,
/// <see cref="DistributedEmbeddingCache"/> (Redis and other <c>IDistributedCache</c>s), stacked by
/// <see cref="TieredEmbeddingCache"/>.
/// </summary>
/// <remarks>
/// <para>
/// Both methods work on batches so that a remote tier can answer many keys in one round of requests. A cache is an
/// optimisation, never a source of failure: the built-in tiers report their own errors (metrics and one log line) and
/// answer "not found" instead of throwing; only cancellation through the token is thrown.
/// </para>
/// <para>Implementations must be thread-safe: one instance is shared by every caller.</para>
/// </remarks>
public interface IEmbeddingCache
{
    /// <summary>Looks up a batch of keys.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>
    /// One slot per key, in order: the embedding, or <see langword="null"/> when it is not cached (or could not be read).
    /// The arrays may be shared with the cache: treat them as read-only.
    /// </returns>
    ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores a batch of embeddings, replacing any entry with the same key.</summary>
    /// <param name="entries">The entries; the vectors are copied or serialized before this method returns.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default);
}
