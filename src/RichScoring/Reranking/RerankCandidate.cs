namespace RichScoring;

/// <summary>One candidate offered to a reranker.</summary>
/// <param name="Image">The candidate's id and encoded image.</param>
/// <param name="Score">Its first-pass combined score.</param>
public sealed record RerankCandidate(ImageInput Image, float Score);
