using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RichScoring;

/// <summary>The names OpenTelemetry listens to: the "RichScoring" meter and activity source.</summary>
/// <remarks>
/// Each <c>ScoreAsync</c> call is one <c>richscoring.pipeline</c> span with a child span per stage
/// (<c>richscoring.acquire</c>, <c>.identify</c>, <c>.query</c>, <c>.embed</c>, <c>.score</c>, <c>.dedup</c>, <c>.rerank</c>).
/// Instruments: <c>richscoring.candidates</c> (tags <c>outcome</c>, <c>stage</c>), <c>richscoring.stage.duration</c>
/// (seconds, tag <c>stage</c>), <c>richscoring.queries.zero_result</c>, and the <c>richscoring.cache.*</c> counters.
/// </remarks>
public static class RichScoringTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "RichScoring";

    internal static readonly ActivitySource Source = new(Name, "1.0");

    internal static readonly Meter Meter = new(Name, "1.0");

    /// <summary>Candidates that left the pipeline, tagged with <c>outcome</c> (ranked, filtered, failed) and <c>stage</c>.</summary>
    internal static readonly Counter<long> Candidates = Meter.CreateCounter<long>("richscoring.candidates", "{candidate}", "Candidates by outcome.");

    /// <summary>Duration of each stage, tagged with <c>stage</c>.</summary>
    internal static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("richscoring.stage.duration", "s", "Time spent in each pipeline stage.");

    /// <summary>Queries where nothing passed the threshold.</summary>
    internal static readonly Counter<long> ZeroResults = Meter.CreateCounter<long>("richscoring.queries.zero_result", "{query}", "Queries where nothing passed the threshold.");

    /// <summary>Embedding cache lookups, tagged with <c>result</c> (hit, miss) and <c>kind</c> (text, image).</summary>
    internal static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("richscoring.cache.lookups", "{lookup}", "Embedding cache hits and misses.");
}
