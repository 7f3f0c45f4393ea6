namespace RichScoring;

/// <summary>Settings of a <see cref="DistributedEmbeddingCache"/>.</summary>
public sealed class DistributedEmbeddingCacheOptions
{
    /// <summary>Prepended to every key (after the cache's own instance name, if any). Default <c>richscoring:emb:</c>.</summary>
    public string KeyPrefix { get; set; } = "richscoring:emb:";

    /// <summary>How values are stored: <see cref="EmbeddingPrecision.Float32"/> (default, exact) or float16 (half the bytes and traffic).</summary>
    public EmbeddingPrecision Precision { get; set; } = EmbeddingPrecision.Float32;

    /// <summary>
    /// How long an entry lives, or <see langword="null"/> (default) for as long as the server keeps it: give Redis a
    /// <c>maxmemory</c> with <c>maxmemory-policy allkeys-lru</c> so it evicts by itself.
    /// </summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>
    /// The longest one batch of lookups or writes may take before the tier counts as failed (default 2 s, which leaves
    /// room for the first call to open the connection). The operations still running are abandoned, so a hung server
    /// costs at most this much, once per <see cref="BreakDuration"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the tier is skipped after a failure (default 30 s): no call waits on a server that just failed. The first
    /// call after the pause tries again.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most requests of one batch in flight at once (default 32). A Redis connection pipelines them.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>The clock of the timeout and the pause (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal DistributedEmbeddingCacheOptions Clone() => (DistributedEmbeddingCacheOptions)MemberwiseClone();

    internal void Validate()
    {
        const string name = nameof(DistributedEmbeddingCacheOptions);
        if (KeyPrefix is null)
        {
            throw new ArgumentException($"{name}.{nameof(KeyPrefix)} must not be null (use an empty string for none).");
        }

        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentException($"{name}.{nameof(Precision)} is not a known precision: {Precision}.");
        }

        if (TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name}.{nameof(TimeToLive)} must be positive when set, got {ttl}.");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name}.{nameof(Timeout)} must be positive, got {Timeout}.");
        }

        if (BreakDuration < TimeSpan.Zero)
        {
            throw new ArgumentException($"{name}.{nameof(BreakDuration)} must not be negative, got {BreakDuration}.");
        }

        if (MaxConcurrency < 1)
        {
            throw new ArgumentException($"{name}.{nameof(MaxConcurrency)} must be at least 1, got {MaxConcurrency}.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException($"{name}.{nameof(TimeProvider)} must not be null.");
        }
    }
}
