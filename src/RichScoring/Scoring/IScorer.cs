namespace RichScoring;

/// <summary>Scores candidate images against an encoded query; higher is better.</summary>
/// <remarks>
/// <para>
/// A scorer sees the whole batch at once (so it can use the similarity-matrix kernel) and returns one score and one
/// <see cref="ScoreBreakdown"/> per candidate. Scorers compose: a combined scorer weighs the outputs of others.
/// Each scorer documents the scale of its score.
/// </para>
/// <para>Implementations must be thread-safe and must not keep the request after returning.</para>
/// </remarks>
public interface IScorer
{
    /// <summary>Scores every candidate of the request.</summary>
    /// <param name="request">The query, the candidates' embeddings and metadata.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One score and breakdown per candidate, aligned with the request.</returns>
    ValueTask<ScoreBatch> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default);

    /// <summary>Asks for an object the scorer (or one it wraps) offers.</summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
