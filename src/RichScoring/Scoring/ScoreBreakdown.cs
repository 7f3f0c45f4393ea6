namespace RichScoring;

/// <summary>Why a candidate got its score: the terms that made it up and the prompts it matched best.</summary>
public sealed record ScoreBreakdown
{
    /// <summary>The terms of the score, in the order they were computed.</summary>
    public IReadOnlyList<ScoreComponent> Components { get; init; } = [];

    /// <summary>The positive prompt the image matched best, when the scorer compares with prompts.</summary>
    public PromptMatch? BestPositive { get; init; }

    /// <summary>The negative prompt the image matched best, when the query has negatives.</summary>
    public PromptMatch? BestNegative { get; init; }

    /// <summary>When set, the scorer rejects the candidate outright (a hard filter) and says why.</summary>
    public string? RejectionReason { get; init; }
}
