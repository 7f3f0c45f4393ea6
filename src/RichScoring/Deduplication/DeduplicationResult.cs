namespace RichScoring;

/// <summary>The outcome of deduplication: which candidates stay, in which order, and which were removed and why.</summary>
public sealed class DeduplicationResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="kept">Positions (in the request) of the kept candidates, in their new order.</param>
    /// <param name="removed">The removed candidates with their reasons.</param>
    public DeduplicationResult(IReadOnlyList<int> kept, IReadOnlyList<DuplicateRemoval> removed)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(removed);
        Kept = kept;
        Removed = removed;
    }

    /// <summary>Positions (in the request) of the kept candidates, in their new order.</summary>
    public IReadOnlyList<int> Kept { get; }

    /// <summary>The removed candidates, each with the candidate it duplicates and the similarity.</summary>
    public IReadOnlyList<DuplicateRemoval> Removed { get; }
}
