namespace RichScoring;

/// <summary>What happened to one candidate: ranked (with its score and why), filtered (with the reason) or failed (with the error).</summary>
public sealed record CandidateOutcome
{
    /// <summary>The candidate.</summary>
    public required Candidate Candidate { get; init; }

    /// <summary>Ranked, filtered or failed.</summary>
    public required CandidateStatus Status { get; init; }

    /// <summary>1-based position in the final list, for ranked candidates.</summary>
    public int? Rank { get; init; }

    /// <summary>The combined score, when the candidate got as far as scoring.</summary>
    public float? Score { get; init; }

    /// <summary>The terms of the score and the prompts matched best, when scored.</summary>
    public ScoreBreakdown? Breakdown { get; init; }

    /// <summary>Why the candidate was filtered or failed, in words (for example <c>shortest side 120 px &lt; 200</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>The stage that filtered or failed it (for example <c>heuristics</c>, <c>threshold</c>, <c>dedup</c>, <c>decode</c>).</summary>
    public string? Stage { get; init; }

    /// <summary>The error behind a failure.</summary>
    public Exception? Error { get; init; }

    /// <summary>
    /// For ranked candidates returned by the zero-result guard: the score was below the threshold, but nothing passed,
    /// so the best ones are shown flagged instead of nothing.
    /// </summary>
    public bool BelowThreshold { get; init; }

    /// <summary>The id of the kept candidate this one duplicates, for near-duplicates.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>The score the reranker gave, when it judged this candidate.</summary>
    public RerankScore? Rerank { get; init; }

    /// <summary>Metadata as identified from the image itself (size, format, bytes), merged over what the source knew.</summary>
    public ImageMetadata? Metadata { get; init; }
}
