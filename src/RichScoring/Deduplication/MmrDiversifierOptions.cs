namespace RichScoring;

/// <summary>Settings for <see cref="MmrDiversifier"/>; checked when the diversifier is created.</summary>
public sealed class MmrDiversifierOptions
{
    /// <summary>Default <see cref="Lambda"/>.</summary>
    public const float DefaultLambda = 0.5f;

    /// <summary>Default <see cref="TopK"/>.</summary>
    public const int DefaultTopK = 12;

    /// <summary>
    /// Gets or sets λ in [0, 1], the weight of relevance against novelty: 1 picks purely by score (the top K as
    /// ranked), 0 picks the best-scored candidate and then always the one least similar to those already picked.
    /// Default 0.5.
    /// </summary>
    public float Lambda { get; set; } = DefaultLambda;

    /// <summary>Gets or sets how many candidates to pick; at least 1. Default 12.</summary>
    public int TopK { get; set; } = DefaultTopK;

    /// <summary>
    /// Gets or sets whether scores are min-max scaled to [0, 1] over the request before they are weighed against
    /// cosine similarities. Default <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// λ mixes a score and a cosine directly, so the two must be on comparable scales. Pipeline scores are not:
    /// CLIPScore runs to 100, a contrast score spans a few hundredths, a probability 0 to 1. Scaling makes one λ mean
    /// the same with any scorer; its cost is that the scale depends on the candidate set (one very low outlier
    /// squeezes the others together). Turn it off when the scores are already on a 0 to 1 or cosine-like scale and
    /// their absolute differences should count as they are.
    /// </remarks>
    public bool NormalizeScores { get; set; } = true;

    /// <summary>
    /// Gets or sets the most threads the similarity kernel may use; at least 1. Default
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    internal void Validate()
    {
        if (!(Lambda >= 0f && Lambda <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "λ must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(TopK, 1, nameof(TopK));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
    }
}
