namespace RichScoring;

/// <summary>What the metadata heuristics make of one candidate: a score, the terms behind it, and a rejection if any.</summary>
public sealed class HeuristicVerdict
{
    internal HeuristicVerdict(float score, string? rejectionReason, IReadOnlyList<ScoreComponent> components)
    {
        Score = score;
        RejectionReason = rejectionReason;
        Components = components;
    }

    /// <summary>The sum of the terms of the heuristics used as score terms; 0 when there are none.</summary>
    public float Score { get; }

    /// <summary>
    /// Why the candidate fails the heuristics used as filters (every failing one, joined by <c>"; "</c>), or
    /// <see langword="null"/> when it passes them all.
    /// </summary>
    public string? RejectionReason { get; }

    /// <summary>Whether a filter rejects the candidate.</summary>
    public bool IsRejected => RejectionReason is not null;

    /// <summary>One term per heuristic used as a score term (named <c>heuristics.*</c>), in a fixed order.</summary>
    public IReadOnlyList<ScoreComponent> Components { get; }
}
