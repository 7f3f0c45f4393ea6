namespace RichScoring;

/// <summary>An embedding to store in an <see cref="IEmbeddingCache"/>.</summary>
/// <param name="Key">What the embedding was computed from.</param>
/// <param name="Vector">The embedding.</param>
public readonly record struct EmbeddingCacheEntry(EmbeddingCacheKey Key, ReadOnlyMemory<float> Vector);
