using System.Text.Json;
using System.Text.Json.Serialization;

namespace RichScoring.Cli.Output;

/// <summary>
/// The schema of results.json (documented in docs/cli.md): the query and settings, then every candidate with its
/// outcome and score breakdown, the ranked ones first in rank order and then the rest in input order.
/// </summary>
internal sealed record ResultsDocument
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Tool { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required QueryDto Query { get; init; }

    public required Dictionary<string, object?> Settings { get; init; }

    public required CountsDto Counts { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required IReadOnlyList<CandidateDto> Candidates { get; init; }

    public static ResultsDocument From(ScoringResult result, Dictionary<string, object?> settings, string tool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ordered = result.Ranked.Concat(result.Outcomes.Where(o => o.Status != CandidateStatus.Ranked));
        return new ResultsDocument
        {
            Tool = tool,
            CreatedAt = now,
            Query = new QueryDto([.. result.Query.Positive.Select(p => p.ToString())], [.. result.Query.Negative.Select(p => p.ToString())]),
            Settings = settings,
            Counts = new CountsDto(result.Outcomes.Count, result.Ranked.Count, result.FilteredCount, result.FailedCount, result.IsZeroResult),
            ElapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
            Warnings = result.Warnings,
            Candidates = [.. ordered.Select(CandidateDto.From)],
        };
    }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
