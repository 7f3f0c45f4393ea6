namespace RichScoring;

/// <summary>A candidate (by index into the run) with its score as it moves through ranking.</summary>
internal sealed record Scored(int Index, float Score, ScoreBreakdown Breakdown)
{
    public bool BelowThreshold { get; init; }

    public RerankScore? Rerank { get; init; }
}
