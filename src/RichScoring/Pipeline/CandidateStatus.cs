namespace RichScoring;

/// <summary>How a candidate left the pipeline. Every candidate gets exactly one.</summary>
public enum CandidateStatus
{
    /// <summary>In the final list, with a rank and a score.</summary>
    Ranked = 0,

    /// <summary>Usable, but left out for a stated reason (a heuristic, the threshold, a duplicate, beyond top K).</summary>
    Filtered = 1,

    /// <summary>Could not be used: fetching, decoding or encoding failed.</summary>
    Failed = 2,
}
