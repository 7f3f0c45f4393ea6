namespace RichScoring;

/// <summary>Everything a scorer may look at: the encoded query, the candidates' image embeddings and their metadata.</summary>
public sealed class ScoringRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="query">The encoded query.</param>
    /// <param name="images">One row per candidate.</param>
    /// <param name="candidateIds">One id per candidate, aligned with <paramref name="images"/>.</param>
    /// <param name="metadata">Optional metadata per candidate, aligned with <paramref name="images"/>.</param>
    public ScoringRequest(EncodedQuery query, EmbeddingBatch images, IReadOnlyList<string> candidateIds, IReadOnlyList<ImageMetadata?>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(candidateIds);
        if (candidateIds.Count != images.Count || (metadata is not null && metadata.Count != images.Count))
        {
            throw new ArgumentException(
                $"{images.Count} image embeddings, {candidateIds.Count} ids and {metadata?.Count ?? images.Count} metadata entries: they must align.");
        }

        if (images.Count > 0 && (images.Dimension != query.Positive.Dimension || images.ModelId != query.Positive.ModelId))
        {
            throw new ArgumentException(
                $"Images are embedded by '{images.ModelId}' ({images.Dimension}-d) but the prompts by " +
                $"'{query.Positive.ModelId}' ({query.Positive.Dimension}-d); they must share one model.");
        }

        Query = query;
        Images = images;
        CandidateIds = candidateIds;
        Metadata = metadata;
    }

    /// <summary>The encoded query.</summary>
    public EncodedQuery Query { get; }

    /// <summary>One row per candidate.</summary>
    public EmbeddingBatch Images { get; }

    /// <summary>Candidate ids, aligned with <see cref="Images"/>.</summary>
    public IReadOnlyList<string> CandidateIds { get; }

    /// <summary>Candidate metadata, aligned with <see cref="Images"/>, when known.</summary>
    public IReadOnlyList<ImageMetadata?>? Metadata { get; }

    /// <summary>Number of candidates.</summary>
    public int Count => Images.Count;
}
