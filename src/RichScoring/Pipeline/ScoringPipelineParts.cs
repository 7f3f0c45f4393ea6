namespace RichScoring;

/// <summary>The components a pipeline is assembled from.</summary>
internal sealed class ScoringPipelineParts
{
    public required ITextEncoder TextEncoder { get; init; }

    public required IImageEncoder ImageEncoder { get; init; }

    public required IScorer Scorer { get; init; }

    /// <summary>Heuristics applied before embedding: returns a rejection reason or null.</summary>
    public Func<ImageMetadata, string?>? PreFilter { get; init; }

    public IDeduplicator? Deduplicator { get; init; }

    public IDeduplicator? Diversifier { get; init; }

    public IReranker? Reranker { get; init; }

    public ICandidateFetcher? Fetcher { get; init; }

    public ScoringQuery? DefaultQuery { get; init; }

    /// <summary>What owns the encoders when the pipeline created them (a loaded model); disposed with the pipeline.</summary>
    public IDisposable? Owner { get; init; }

    /// <summary>Whether the CLIP term is the default one, whose scale depends on the query having negatives.</summary>
    public bool UsesDefaultClipScorer { get; init; }
}
