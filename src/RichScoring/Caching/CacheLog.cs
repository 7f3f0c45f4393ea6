using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>The embedding cache's log messages (source-generated).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "The {Tier} embedding cache failed to {Operation}; it is treated as a miss (and logged again only after it has recovered)")]
    public static partial void TierFailed(ILogger logger, string tier, string operation, Exception exception);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "The {Tier} embedding cache works again")]
    public static partial void TierRecovered(ILogger logger, string tier);

    [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "Ignoring the {Tier} embedding cache entry {Key}: {Reason}")]
    public static partial void InvalidEntry(ILogger logger, string tier, EmbeddingCacheKey key, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "The {Tier} embedding cache is paused for {Seconds:0.#} s after a failure")]
    public static partial void TierPaused(ILogger logger, string tier, double seconds);
}
