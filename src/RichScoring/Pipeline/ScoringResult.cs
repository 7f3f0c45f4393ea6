namespace RichScoring;

/// <summary>The outcome of one scoring call: every candidate exactly once, and the ranked ones in order.</summary>
public sealed class ScoringResult
{
    internal ScoringResult(ScoringQuery query, CandidateOutcome[] outcomes, TimeSpan elapsed, IReadOnlyList<string> warnings)
    {
        Query = query;
        Outcomes = outcomes;
        Ranked = [.. outcomes.Where(o => o.Status == CandidateStatus.Ranked).OrderBy(o => o.Rank)];
        FilteredCount = outcomes.Count(o => o.Status == CandidateStatus.Filtered);
        FailedCount = outcomes.Count(o => o.Status == CandidateStatus.Failed);
        Elapsed = elapsed;
        Warnings = warnings;
    }

    /// <summary>The query the candidates were scored against.</summary>
    public ScoringQuery Query { get; }

    /// <summary>One outcome per input candidate, in input order.</summary>
    public IReadOnlyList<CandidateOutcome> Outcomes { get; }

    /// <summary>The ranked candidates, best first.</summary>
    public IReadOnlyList<CandidateOutcome> Ranked { get; }

    /// <summary>Number of candidates filtered out.</summary>
    public int FilteredCount { get; }

    /// <summary>Number of candidates that failed.</summary>
    public int FailedCount { get; }

    /// <summary>Whether no candidate passed the threshold (the ranked list, if any, is the zero-result guard's fallback).</summary>
    public bool IsZeroResult => Ranked.Count == 0 || Ranked.All(r => r.BelowThreshold);

    /// <summary>How long the call took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Notes about the call as a whole, such as prompts truncated to the model's context.</summary>
    public IReadOnlyList<string> Warnings { get; }
}
