namespace RichScoring;

/// <summary>A candidate removed as a near-duplicate of another.</summary>
/// <param name="Index">Position of the removed candidate in the request.</param>
/// <param name="DuplicateOfIndex">Position in the request of the candidate it duplicates (which was kept).</param>
/// <param name="Similarity">Cosine similarity between the two embeddings.</param>
/// <param name="Reason">A readable reason, for example <c>near-duplicate of c7 (cos 0.98)</c>.</param>
public sealed record DuplicateRemoval(int Index, int DuplicateOfIndex, float Similarity, string Reason);
