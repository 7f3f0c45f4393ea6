namespace RichScoring;

/// <summary>
/// Turns a <see cref="ScoringQuery"/> into prompt embeddings: expands concepts through their templates, encodes every
/// distinct text in one batch, and averages each concept's template embeddings into one renormalized row.
/// </summary>
/// <remarks>Thread-safe. Wrap the text encoder in a cache (<see cref="CachingTextEncoder"/>) so repeated queries cost nothing.</remarks>
public sealed class QueryEncoder
{
    private readonly ITextEncoder _encoder;
    private readonly ITextContextWindow? _window;

    /// <summary>Creates a query encoder over a text encoder.</summary>
    /// <param name="encoder">The text encoder of the model that also embeds the images.</param>
    public QueryEncoder(ITextEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _encoder = encoder;
        _window = encoder.GetService<ITextContextWindow>();
    }

    /// <summary>Encodes the query's prompts.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One normalized row per positive and per negative prompt, in order.</returns>
    public async Task<EncodedQuery> EncodeAsync(ScoringQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Every distinct text once, in one batch. Each prompt the model reads only in part gets one note (a concept
        // once, whichever templates ran over), checked every call: an embedding from the cache was cut just the same.
        var texts = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var warnings = new List<string>();
        foreach (var prompt in query.Positive.Concat(query.Negative))
        {
            var truncated = false;
            foreach (var text in prompt.Expand())
            {
                if (index.TryAdd(text, texts.Count))
                {
                    texts.Add(text);
                }

                truncated = truncated || _window?.IsTruncated(text) == true;
            }

            if (truncated)
            {
                var shown = prompt.Value.Length <= 60 ? prompt.Value : string.Concat(prompt.Value.AsSpan(0, 57), "...");
                warnings.Add($"The prompt \"{shown}\" is longer than the {_window!.ContextLength} tokens the model reads; its end is ignored.");
            }
        }

        var encoded = await _encoder.EncodeAsync(texts, cancellationToken).ConfigureAwait(false);
        encoded.Normalize();
        return new EncodedQuery(query, Combine(query.Positive, encoded, index), Combine(query.Negative, encoded, index))
        {
            Warnings = warnings,
        };
    }

    private static EmbeddingBatch Combine(IReadOnlyList<Prompt> prompts, EmbeddingBatch encoded, Dictionary<string, int> index)
    {
        var d = encoded.Dimension;
        var rows = new float[prompts.Count * d];
        for (var p = 0; p < prompts.Count; p++)
        {
            var row = rows.AsSpan(p * d, d);
            foreach (var text in prompts[p].Expand())
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, encoded.GetRow(index[text]), row);
            }
        }

        // Averaging then renormalizing is the same as renormalizing the sum.
        return new EmbeddingBatch(rows, d, encoded.ModelId).Normalize();
    }
}
