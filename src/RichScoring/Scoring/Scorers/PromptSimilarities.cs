using System.Buffers;
using System.Numerics.Tensors;
using RichScoring.Numerics;

namespace RichScoring;

/// <summary>
/// The cosine similarity of every candidate image with every prompt of a request, from one similarity-matrix call:
/// one row per candidate holding its P positive similarities followed by its M − P negative ones.
/// </summary>
/// <remarks>
/// Images are the matrix's queries and prompts its candidates, so each image's prompt similarities are contiguous
/// (a softmax over all prompts reads one row). The buffers come from the shared array pool; dispose to return them.
/// </remarks>
internal sealed class PromptSimilarities : IDisposable
{
    private readonly string[] _labels;
    private float[]? _values;

    private PromptSimilarities(float[] values, int candidates, int positives, int negatives, string[] labels)
    {
        _values = values;
        Candidates = candidates;
        Positives = positives;
        Negatives = negatives;
        _labels = labels;
    }

    /// <summary>Number of candidate images (rows).</summary>
    public int Candidates { get; }

    /// <summary>Number of positive prompts (the first columns).</summary>
    public int Positives { get; }

    /// <summary>Number of negative prompts (the last columns).</summary>
    public int Negatives { get; }

    /// <summary>Number of prompts (columns).</summary>
    public int Prompts => Positives + Negatives;

    /// <summary>Computes the similarities of a request.</summary>
    /// <param name="request">The request; its embeddings are read, never modified.</param>
    public static PromptSimilarities Compute(ScoringRequest request)
    {
        var query = request.Query;
        var images = request.Images;
        var positives = query.Positive.Count;
        var negatives = query.Negative.Count;
        var prompts = positives + negatives;
        var candidates = images.Count;
        var dimension = images.Dimension;

        var labels = new string[prompts];
        for (var p = 0; p < positives; p++)
        {
            labels[p] = query.Query.Positive[p].ToString();
        }

        for (var n = 0; n < negatives; n++)
        {
            labels[positives + n] = query.Query.Negative[n].ToString();
        }

        var values = ArrayPool<float>.Shared.Rent(Math.Max(1, checked(candidates * prompts)));
        if (candidates == 0)
        {
            return new PromptSimilarities(values, 0, positives, negatives, labels);
        }

        // One matrix call over all prompts: with negatives, their rows are appended to the positives' in a pooled copy
        // (M × D floats, small next to the N × M × D products).
        float[]? promptCopy = null;
        try
        {
            ReadOnlySpan<float> promptRows;
            if (negatives == 0)
            {
                promptRows = query.Positive.Span;
            }
            else
            {
                promptCopy = ArrayPool<float>.Shared.Rent(prompts * dimension);
                query.Positive.Span.CopyTo(promptCopy);
                query.Negative.Span.CopyTo(promptCopy.AsSpan(positives * dimension));
                promptRows = promptCopy.AsSpan(0, prompts * dimension);
            }

            var table = values.AsSpan(0, candidates * prompts);
            EmbeddingMath.SimilarityMatrix(images.Span, promptRows, dimension, table);
            if (!images.IsNormalized || !query.Positive.IsNormalized || (negatives > 0 && !query.Negative.IsNormalized))
            {
                DivideByNorms(table, images, query.Positive, query.Negative, prompts);
            }
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }
        finally
        {
            if (promptCopy is not null)
            {
                ArrayPool<float>.Shared.Return(promptCopy);
            }
        }

        return new PromptSimilarities(values, candidates, positives, negatives, labels);
    }

    /// <summary>The similarities of one candidate with every prompt: positives first, then negatives.</summary>
    public ReadOnlySpan<float> Row(int candidate) =>
        Values.AsSpan(candidate * Prompts, Prompts);

    /// <summary>The similarities of one candidate with the positive prompts.</summary>
    public ReadOnlySpan<float> PositiveRow(int candidate) => Row(candidate)[..Positives];

    /// <summary>The similarities of one candidate with the negative prompts (empty without negatives).</summary>
    public ReadOnlySpan<float> NegativeRow(int candidate) => Row(candidate)[Positives..];

    /// <summary>The positive prompt a candidate matches best; <see langword="null"/> when its similarities are all NaN.</summary>
    public PromptMatch? BestPositive(int candidate) => Best(PositiveRow(candidate), 0);

    /// <summary>The negative prompt a candidate matches best; <see langword="null"/> without negatives or when all are NaN.</summary>
    public PromptMatch? BestNegative(int candidate) => Best(NegativeRow(candidate), Positives);

    /// <summary>The largest value, or NaN when the row is empty or all NaN (matching <see cref="BestPositive"/>).</summary>
    public static float Max(ReadOnlySpan<float> row)
    {
        var index = EmbeddingMath.ArgMax(row);
        return index < 0 ? float.NaN : row[index];
    }

    public void Dispose()
    {
        var values = Interlocked.Exchange(ref _values, null);
        if (values is not null)
        {
            ArrayPool<float>.Shared.Return(values);
        }
    }

    private float[] Values => _values ?? throw new ObjectDisposedException(nameof(PromptSimilarities));

    private PromptMatch? Best(ReadOnlySpan<float> row, int labelOffset)
    {
        var index = EmbeddingMath.ArgMax(row);
        return index < 0 ? null : new PromptMatch(index, _labels[labelOffset + index], row[index]);
    }

    // Dot products become cosines: divide entry (n, m) by ‖image n‖·‖prompt m‖; a zero row gives 0, as Cosine does.
    private static void DivideByNorms(Span<float> table, EmbeddingBatch images, EmbeddingBatch positive, EmbeddingBatch negative, int prompts)
    {
        var inverse = ArrayPool<float>.Shared.Rent(prompts);
        try
        {
            var promptInverse = inverse.AsSpan(0, prompts);
            InverseNorms(positive, promptInverse[..positive.Count]);
            InverseNorms(negative, promptInverse[positive.Count..]);
            for (var n = 0; n < images.Count; n++)
            {
                var row = table.Slice(n * prompts, prompts);
                TensorPrimitives.Multiply(row, promptInverse, row);
                TensorPrimitives.Multiply(row, InverseNorm(images, n), row);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(inverse);
        }
    }

    private static void InverseNorms(EmbeddingBatch batch, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = InverseNorm(batch, i);
        }
    }

    private static float InverseNorm(EmbeddingBatch batch, int row)
    {
        if (batch.IsNormalized)
        {
            return 1f;
        }

        var values = batch.GetRow(row);
        var norm = MathF.Sqrt(EmbeddingMath.Dot(values, values));
        return norm > 0f ? 1f / norm : 0f;
    }
}
