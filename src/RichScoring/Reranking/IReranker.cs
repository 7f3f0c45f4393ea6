namespace RichScoring;

/// <summary>
/// A second, more expensive opinion on the best candidates — typically a vision-language model asked whether the
/// image really shows what the query wants — that adjusts their scores.
/// </summary>
/// <remarks>
/// The pipeline calls it with the top candidates only, after the first-pass ranking. A reranker that cannot judge a
/// candidate leaves it out of its result rather than failing the batch. Implementations must be thread-safe.
/// </remarks>
public interface IReranker
{
    /// <summary>Judges the given candidates.</summary>
    /// <param name="request">The query and the candidates with their first-pass scores.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A score in [0, 1] for each candidate the reranker could judge.</returns>
    Task<IReadOnlyList<RerankScore>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default);

    /// <summary>Asks for an object the reranker (or one it wraps) offers.</summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
