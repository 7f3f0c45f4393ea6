namespace RichScoring;

/// <summary>The candidates a reranker is asked to judge, best first, with the query they were ranked for.</summary>
public sealed class RerankRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="query">The prompts the candidates were ranked for.</param>
    /// <param name="candidates">The candidates, best first.</param>
    public RerankRequest(ScoringQuery query, IReadOnlyList<RerankCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidates);
        Query = query;
        Candidates = candidates;
    }

    /// <summary>The prompts the candidates were ranked for.</summary>
    public ScoringQuery Query { get; }

    /// <summary>The candidates, best first.</summary>
    public IReadOnlyList<RerankCandidate> Candidates { get; }
}
