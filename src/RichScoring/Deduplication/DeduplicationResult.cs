namespace RichScoring;

/// <summary>The outcome of deduplication: which candidates stay, in which order, and which were removed and why.</summary>
/// <remarks>
/// Every candidate of the request appears exactly once, either in <see cref="Kept"/> or in <see cref="Removed"/>.
/// A selecting deduplicator (such as <see cref="MmrDiversifier"/>) puts the candidates it picked first in
/// <see cref="Kept"/>, in the order it picked them, and the ones it did not pick after them in their original order;
/// <see cref="SelectedCount"/> says where the picked ones end. Not being picked is not being a duplicate.
/// </remarks>
public sealed class DeduplicationResult
{
    /// <summary>Creates a result in which every kept candidate counts as selected.</summary>
    /// <param name="kept">Positions (in the request) of the kept candidates, in their new order.</param>
    /// <param name="removed">The removed candidates with their reasons.</param>
    public DeduplicationResult(IReadOnlyList<int> kept, IReadOnlyList<DuplicateRemoval> removed)
        : this(kept, removed, kept?.Count ?? 0)
    {
    }

    /// <summary>Creates a result whose first <paramref name="selectedCount"/> kept candidates were selected.</summary>
    /// <param name="kept">Positions (in the request) of the kept candidates, in their new order: the selected ones first.</param>
    /// <param name="removed">The removed candidates with their reasons.</param>
    /// <param name="selectedCount">How many of the leading entries of <paramref name="kept"/> were selected.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="selectedCount"/> is negative or more than <c>kept.Count</c>.</exception>
    public DeduplicationResult(IReadOnlyList<int> kept, IReadOnlyList<DuplicateRemoval> removed, int selectedCount)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(removed);
        ArgumentOutOfRangeException.ThrowIfNegative(selectedCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(selectedCount, kept.Count);
        Kept = kept;
        Removed = removed;
        SelectedCount = selectedCount;
    }

    /// <summary>Positions (in the request) of the kept candidates, in their new order.</summary>
    public IReadOnlyList<int> Kept { get; }

    /// <summary>The removed candidates, each with the candidate it duplicates and the similarity.</summary>
    public IReadOnlyList<DuplicateRemoval> Removed { get; }

    /// <summary>
    /// How many leading entries of <see cref="Kept"/> were selected. Equal to <c>Kept.Count</c> for a deduplicator
    /// that only removes (such as <see cref="NearDuplicateRemover"/>); for <see cref="MmrDiversifier"/> the number it
    /// picked, the entries after them being the candidates it did not pick, in their original rank order.
    /// </summary>
    public int SelectedCount { get; }
}
