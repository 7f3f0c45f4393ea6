using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>
/// Counts one tier's errors and invalid entries, and logs a failure once: the first error after a healthy period is a
/// warning, later ones are only counted until an operation succeeds again (which is logged too). Thread-safe.
/// </summary>
internal sealed class CacheHealth(string tier, ILogger logger)
{
    private int _failing;
    private long _errors;
    private long _invalid;

    public string Tier => tier;

    public ILogger Logger => logger;

    /// <summary>Failed operations so far.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Rejected entries so far.</summary>
    public long InvalidEntries => Interlocked.Read(ref _invalid);

    /// <summary>Whether the last operation failed.</summary>
    public bool IsFailing => Volatile.Read(ref _failing) != 0;

    public void Failed(string operation, Exception exception)
    {
        Interlocked.Increment(ref _errors);
        CacheTelemetry.Errors.Add(1, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("operation", operation));
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            CacheLog.TierFailed(logger, tier, operation, exception);
        }
    }

    public void Succeeded()
    {
        if (Volatile.Read(ref _failing) != 0 && Interlocked.Exchange(ref _failing, 0) != 0)
        {
            CacheLog.TierRecovered(logger, tier);
        }
    }

    public void Invalid(EmbeddingCacheKey key, string reason)
    {
        Interlocked.Increment(ref _invalid);
        CacheTelemetry.InvalidEntries.Add(1, new KeyValuePair<string, object?>("tier", tier));
        CacheLog.InvalidEntry(logger, tier, key, reason);
    }
}
