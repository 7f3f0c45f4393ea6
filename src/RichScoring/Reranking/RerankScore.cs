namespace RichScoring;

/// <summary>A reranker's judgement of one candidate.</summary>
/// <param name="Id">The candidate's id.</param>
/// <param name="Score">Relevance in [0, 1].</param>
/// <param name="Explanation">A short reason in words, when the reranker gives one.</param>
public sealed record RerankScore(string Id, float Score, string? Explanation = null);
