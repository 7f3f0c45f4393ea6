namespace RichScoring;

/// <summary>
/// A batch of embeddings stored as one contiguous row-major float32 matrix (<see cref="Count"/> rows ×
/// <see cref="Dimension"/> columns), tagged with the model that produced it.
/// </summary>
/// <remarks>
/// A batch is the unit every kernel works on: the similarity matrix, scoring and deduplication read rows straight
/// out of <see cref="Span"/> without copying. Instances are not thread-safe for writing; concurrent reads are safe.
/// </remarks>
public sealed class EmbeddingBatch
{
    private readonly float[] _data;

    /// <summary>Wraps an existing buffer (not copied) holding <c>data.Length / dimension</c> rows.</summary>
    /// <param name="data">Row-major values; its length must be a multiple of <paramref name="dimension"/>.</param>
    /// <param name="dimension">Values per embedding; at least 1.</param>
    /// <param name="modelId">Identifies the embedding space; embeddings of different models must never be compared.</param>
    /// <param name="isNormalized">Whether every non-zero row already has unit L2 norm.</param>
    public EmbeddingBatch(float[] data, int dimension, string modelId, bool isNormalized = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        if (data.Length % dimension != 0)
        {
            throw new ArgumentException(
                $"The buffer holds {data.Length} values, which is not a whole number of {dimension}-dimensional rows.",
                nameof(data));
        }

        _data = data;
        Dimension = dimension;
        Count = data.Length / dimension;
        ModelId = modelId;
        IsNormalized = isNormalized;
    }

    /// <summary>Number of embeddings (rows).</summary>
    public int Count { get; }

    /// <summary>Values per embedding (columns).</summary>
    public int Dimension { get; }

    /// <summary>The model whose embedding space the rows live in.</summary>
    public string ModelId { get; }

    /// <summary>Whether every non-zero row has unit L2 norm, so that a dot product is a cosine similarity.</summary>
    public bool IsNormalized { get; private set; }

    /// <summary>All values, row after row (<see cref="Count"/> × <see cref="Dimension"/>).</summary>
    public Span<float> Span => _data;

    /// <summary>All values as memory, for APIs that cannot take a span (for example across an await).</summary>
    public Memory<float> Memory => _data;

    /// <summary>Allocates a zero-filled batch.</summary>
    /// <param name="count">Number of rows; zero is allowed.</param>
    /// <param name="dimension">Values per row; at least 1.</param>
    /// <param name="modelId">Identifies the embedding space.</param>
    public static EmbeddingBatch Create(int count, int dimension, string modelId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return new EmbeddingBatch(new float[checked(count * dimension)], dimension, modelId);
    }

    /// <summary>The values of one row.</summary>
    /// <param name="index">Row index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    public Span<float> GetRow(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _data.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>The values of one row as memory (no copy).</summary>
    /// <param name="index">Row index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    public Memory<float> GetRowMemory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _data.AsMemory(index * Dimension, Dimension);
    }

    /// <summary>Scales every row to unit L2 norm in place (zero rows stay zero) and marks the batch normalized.</summary>
    /// <returns>This batch.</returns>
    public EmbeddingBatch Normalize()
    {
        if (!IsNormalized)
        {
            Numerics.EmbeddingMath.NormalizeRows(_data, Dimension);
            IsNormalized = true;
        }

        return this;
    }

    /// <summary>Copies the given rows, in the given order, into a new batch of the same model.</summary>
    /// <param name="rows">Row indices; repeats are allowed.</param>
    public EmbeddingBatch Select(ReadOnlySpan<int> rows)
    {
        var result = new float[checked(rows.Length * Dimension)];
        for (var i = 0; i < rows.Length; i++)
        {
            GetRow(rows[i]).CopyTo(result.AsSpan(i * Dimension, Dimension));
        }

        return new EmbeddingBatch(result, Dimension, ModelId, IsNormalized);
    }
}
