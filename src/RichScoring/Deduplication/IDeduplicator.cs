namespace RichScoring;

/// <summary>Removes near-duplicates from a ranked list and may reorder it for variety.</summary>
/// <remarks>
/// Works on the whole list at once (the similarity-matrix kernel, not per-pair loops). Every candidate of the request
/// ends up either kept or removed with a <see cref="DuplicateRemoval"/> that names the candidate it duplicates.
/// Implementations must be thread-safe.
/// </remarks>
public interface IDeduplicator
{
    /// <summary>Deduplicates a ranked list.</summary>
    /// <param name="request">Candidates in rank order with their scores and embeddings.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The kept candidates in their new order and the removed ones with reasons.</returns>
    ValueTask<DeduplicationResult> DeduplicateAsync(DeduplicationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Asks for an object the deduplicator (or one it wraps) offers.</summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
