namespace RichScoring;

/// <summary>Bounds of a <see cref="MemoryEmbeddingCache"/>; the least recently used entries go first when either is reached.</summary>
public sealed class MemoryEmbeddingCacheOptions
{
    /// <summary>Most entries kept; at least 1. Default 10,000 (about 21 MB at 512 dimensions).</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>
    /// Most bytes kept, counting 4 bytes a value plus <see cref="MemoryEmbeddingCache.EntryOverhead"/> per entry for the
    /// key and bookkeeping; at least 1. Default 64 MiB.
    /// </summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    internal void Validate()
    {
        if (MaxEntries < 1)
        {
            throw new ArgumentException($"{nameof(MemoryEmbeddingCacheOptions)}.{nameof(MaxEntries)} must be at least 1, got {MaxEntries}.");
        }

        if (MaxBytes < 1)
        {
            throw new ArgumentException($"{nameof(MemoryEmbeddingCacheOptions)}.{nameof(MaxBytes)} must be at least 1, got {MaxBytes}.");
        }
    }
}
