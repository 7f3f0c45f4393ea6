using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>The pipeline's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Scoring {Count} candidates against {Positive} positive and {Negative} negative prompts")]
    public static partial void Started(ILogger logger, int count, int positive, int negative);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Stage {Stage} done in {Milliseconds:0.0} ms, {Active} candidates still in play")]
    public static partial void StageDone(ILogger logger, string stage, int active, double milliseconds);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Scored: {Ranked} ranked, {Filtered} filtered, {Failed} failed in {Milliseconds} ms")]
    public static partial void Finished(ILogger logger, int ranked, int filtered, int failed, long milliseconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The reranker failed; keeping the first-pass ranking")]
    public static partial void RerankFailed(ILogger logger, Exception exception);
}
