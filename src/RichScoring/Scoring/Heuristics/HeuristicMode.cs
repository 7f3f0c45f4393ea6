namespace RichScoring;

/// <summary>How one metadata heuristic takes part: not at all, as a hard filter, or as a term of the heuristic score.</summary>
public enum HeuristicMode
{
    /// <summary>The heuristic is not evaluated.</summary>
    Off = 0,

    /// <summary>A candidate that fails the heuristic is rejected with a reason (and never embedded, when checked early).</summary>
    Filter = 1,

    /// <summary>The heuristic adds a term to the heuristic score instead of rejecting (see each heuristic for its term).</summary>
    Score = 2,
}
