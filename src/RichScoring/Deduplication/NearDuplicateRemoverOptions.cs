namespace RichScoring;

/// <summary>Settings for <see cref="NearDuplicateRemover"/>; checked when the remover is created.</summary>
public sealed class NearDuplicateRemoverOptions
{
    /// <summary>Default <see cref="Threshold"/>.</summary>
    public const float DefaultThreshold = 0.95f;

    /// <summary>
    /// Gets or sets the cosine similarity ε from which two candidates count as near-duplicates; in (0, 1]. Default 0.95.
    /// </summary>
    /// <remarks>
    /// The comparison uses the float cosine of the normalised embeddings, which can miss 1 by a few units in the last
    /// place even for identical images: to remove exact copies only, use a value such as 0.9999 rather than 1.
    /// </remarks>
    public float Threshold { get; set; } = DefaultThreshold;

    /// <summary>Gets or sets which member of a group is kept. Default <see cref="DuplicateKeepRule.Score"/>.</summary>
    public DuplicateKeepRule KeepBy { get; set; } = DuplicateKeepRule.Score;

    /// <summary>
    /// Gets or sets the most threads the similarity kernel may use; at least 1. Default
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Rows per block of the similarity matrix (tests shrink it to cross block boundaries).</summary>
    internal int BlockRows { get; set; } = NearDuplicateRemover.DefaultBlockRows;

    /// <summary>Columns per block of the similarity matrix.</summary>
    internal int BlockColumns { get; set; } = NearDuplicateRemover.DefaultBlockColumns;

    internal void Validate()
    {
        if (!(Threshold > 0f && Threshold <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The near-duplicate threshold must be in (0, 1].");
        }

        if (!Enum.IsDefined(KeepBy))
        {
            throw new ArgumentOutOfRangeException(nameof(KeepBy), KeepBy, "Unknown keep rule.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockRows, 1, nameof(BlockRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockColumns, 1, nameof(BlockColumns));
    }
}
