using RichScoring.Numerics;

namespace RichScoring;

/// <summary>What both deduplicators need first: the request's rows at unit length, and which rows can be compared at all.</summary>
internal static class DeduplicationEmbeddings
{
    /// <summary>The batch's own buffer when it is already normalised, else a normalised copy (the caller's batch is never changed).</summary>
    public static ReadOnlyMemory<float> Normalized(EmbeddingBatch batch)
    {
        if (batch.IsNormalized)
        {
            return batch.Memory;
        }

        var copy = GC.AllocateUninitializedArray<float>(batch.Span.Length);
        EmbeddingMath.NormalizeRows(batch.Span, batch.Dimension, copy);
        return copy;
    }

    /// <summary>
    /// Rows whose squared norm is finite. Normalising turns a row holding NaN or ±Inf into all NaN; a batch that claims
    /// to be normalised may still hold one. Such rows are left out of every comparison.
    /// </summary>
    public static bool[] UsableRows(ReadOnlySpan<float> rows, int dimension)
    {
        var usable = new bool[rows.Length / dimension];
        for (var i = 0; i < usable.Length; i++)
        {
            var row = rows.Slice(i * dimension, dimension);
            usable[i] = float.IsFinite(EmbeddingMath.Dot(row, row));
        }

        return usable;
    }

    /// <summary>Whether <paramref name="candidate"/> is a strictly better score than <paramref name="incumbent"/>; NaN is worse than any number.</summary>
    public static bool IsBetterScore(float candidate, float incumbent) =>
        candidate > incumbent || (float.IsNaN(incumbent) && !float.IsNaN(candidate));
}
