using Microsoft.Extensions.Logging;

namespace RichScoring.Http;

/// <summary>The HTTP side's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Fetched {Url}: {Bytes} bytes in {Milliseconds} ms, {Attempts} tries")]
    public static partial void Fetched(ILogger logger, Uri url, int bytes, long milliseconds, int attempts);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Refused {Url}: {Reason}")]
    public static partial void Refused(ILogger logger, Uri url, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Could not fetch {Url}: {Reason}")]
    public static partial void Failed(ILogger logger, Uri url, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "Redirect {Hop} from {From} to {To}")]
    public static partial void Redirected(ILogger logger, int hop, Uri from, Uri to);

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Openverse page {Page} for '{Query}': {Count} results of {Total}")]
    public static partial void OpenversePage(ILogger logger, int page, string query, int count, int total);

    [LoggerMessage(EventId = 411, Level = LogLevel.Debug, Message = "Skipped an Openverse result: {Reason}")]
    public static partial void OpenverseSkipped(ILogger logger, string reason);
}
