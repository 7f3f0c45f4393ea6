namespace RichScoring;

/// <summary>A ranked list of candidates to deduplicate: ids, scores and embeddings, all aligned, best first.</summary>
public sealed class DeduplicationRequest
{
    private readonly float[] _scores;

    /// <summary>Creates a request.</summary>
    /// <param name="candidateIds">Candidate ids in rank order (best first).</param>
    /// <param name="scores">Their scores, aligned.</param>
    /// <param name="embeddings">Their image embeddings, aligned (one row per candidate).</param>
    /// <param name="metadata">Optional metadata, aligned (used to prefer the higher-resolution copy).</param>
    public DeduplicationRequest(IReadOnlyList<string> candidateIds, float[] scores, EmbeddingBatch embeddings, IReadOnlyList<ImageMetadata?>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(candidateIds);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (candidateIds.Count != embeddings.Count || scores.Length != embeddings.Count || (metadata is not null && metadata.Count != embeddings.Count))
        {
            throw new ArgumentException(
                $"{candidateIds.Count} ids, {scores.Length} scores, {embeddings.Count} embeddings and " +
                $"{metadata?.Count ?? embeddings.Count} metadata entries: they must align.");
        }

        CandidateIds = candidateIds;
        _scores = scores;
        Embeddings = embeddings;
        Metadata = metadata;
    }

    /// <summary>Candidate ids in rank order.</summary>
    public IReadOnlyList<string> CandidateIds { get; }

    /// <summary>Scores, aligned with <see cref="CandidateIds"/>.</summary>
    public ReadOnlySpan<float> Scores => _scores;

    /// <summary>Embeddings, aligned with <see cref="CandidateIds"/>.</summary>
    public EmbeddingBatch Embeddings { get; }

    /// <summary>Metadata, aligned with <see cref="CandidateIds"/>, when known.</summary>
    public IReadOnlyList<ImageMetadata?>? Metadata { get; }

    /// <summary>Number of candidates.</summary>
    public int Count => CandidateIds.Count;
}
