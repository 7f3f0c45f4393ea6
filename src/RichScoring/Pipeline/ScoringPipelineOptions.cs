namespace RichScoring;

/// <summary>The decisions of a scoring pipeline: threshold, list length, fallbacks and limits.</summary>
public sealed class ScoringPipelineOptions
{
    /// <summary>Candidates scoring below this (combined score) are filtered out; null keeps everything. Default null.</summary>
    public float? Threshold { get; set; }

    /// <summary>Length of the final list. Default 12.</summary>
    public int TopK { get; set; } = 12;

    /// <summary>
    /// When nothing passes the threshold, return the best <see cref="TopK"/> anyway, flagged
    /// <see cref="CandidateOutcome.BelowThreshold"/>, instead of an empty list. Default true.
    /// </summary>
    public bool ZeroResultFallback { get; set; } = true;

    /// <summary>How many of the best candidates the reranker (when there is one) judges. Default 10.</summary>
    public int RerankTopN { get; set; } = 10;

    /// <summary>β in S = S_first-pass + β · S_rerank, the weight of the reranker's [0, 1] score. Default 0.5.</summary>
    public float RerankWeight { get; set; } = 0.5f;

    /// <summary>Most candidates acquired (read or fetched) at once. Default 8.</summary>
    public int AcquireParallelism { get; set; } = 8;

    /// <summary>Largest image file accepted from a stream or file, in bytes. Default 20 MB.</summary>
    public long MaxImageBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Images per embedding call (progress is reported after each). Default 32.</summary>
    public int EmbedBatchSize { get; set; } = 32;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Threshold is { } t && !float.IsFinite(t))
        {
            throw new ArgumentException($"{nameof(Threshold)} must be a finite number, got {t}.");
        }

        Positive(TopK, nameof(TopK));
        Positive(RerankTopN, nameof(RerankTopN));
        Positive(AcquireParallelism, nameof(AcquireParallelism));
        Positive(EmbedBatchSize, nameof(EmbedBatchSize));
        if (MaxImageBytes < 1)
        {
            throw new ArgumentException($"{nameof(MaxImageBytes)} must be at least 1, got {MaxImageBytes}.");
        }

        if (!(RerankWeight >= 0 && float.IsFinite(RerankWeight)))
        {
            throw new ArgumentException($"{nameof(RerankWeight)} must be ≥ 0, got {RerankWeight}.");
        }
    }

    internal ScoringPipelineOptions Clone() => (ScoringPipelineOptions)MemberwiseClone();

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{name} must be at least 1, got {value}.");
        }
    }
}
