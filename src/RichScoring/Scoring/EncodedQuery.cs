namespace RichScoring;

/// <summary>A <see cref="ScoringQuery"/> with the embeddings of its prompts, computed once and reused for every candidate.</summary>
public sealed class EncodedQuery
{
    /// <summary>Pairs a query with its prompt embeddings.</summary>
    /// <param name="query">The query.</param>
    /// <param name="positive">One row per positive prompt, in order.</param>
    /// <param name="negative">One row per negative prompt, in order (zero rows when there are none).</param>
    public EncodedQuery(ScoringQuery query, EmbeddingBatch positive, EmbeddingBatch negative)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.Count != query.Positive.Count || negative.Count != query.Negative.Count)
        {
            throw new ArgumentException(
                $"The query has {query.Positive.Count} positive and {query.Negative.Count} negative prompts but " +
                $"{positive.Count} and {negative.Count} embeddings were given.");
        }

        if (negative.Count > 0 && (negative.Dimension != positive.Dimension || negative.ModelId != positive.ModelId))
        {
            throw new ArgumentException("Positive and negative prompt embeddings come from different models or dimensions.");
        }

        Query = query;
        Positive = positive;
        Negative = negative;
    }

    /// <summary>The prompts.</summary>
    public ScoringQuery Query { get; }

    /// <summary>Embeddings of <see cref="ScoringQuery.Positive"/>.</summary>
    public EmbeddingBatch Positive { get; }

    /// <summary>Embeddings of <see cref="ScoringQuery.Negative"/>.</summary>
    public EmbeddingBatch Negative { get; }

    /// <summary>Notes about the prompts, such as those longer than the model reads; empty when there are none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
