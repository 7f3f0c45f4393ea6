namespace RichScoring.Numerics;

/// <summary>Options for <see cref="EmbeddingMath.SimilarityMatrix(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, SimilarityOptions)"/>.</summary>
public sealed class SimilarityOptions
{
    private int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the most threads one call may use; 1 runs on the calling thread only. Defaults to
    /// <see cref="Environment.ProcessorCount"/>. Small matrices run single-threaded whatever this says, because
    /// handing work to the thread pool would cost more than it saves.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDegreeOfParallelism = value;
        }
    }
}
