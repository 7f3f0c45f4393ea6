namespace RichScoring;

/// <summary>
/// The pipeline's default CLIP term: the calibrated probability when the query has negative prompts, and the best
/// positive cosine (contrast without negatives) when it has none — a softmax over positives alone is always 1, which
/// would make every candidate tie.
/// </summary>
internal sealed class DefaultClipScorer(IScorer withNegatives, IScorer withoutNegatives) : IScorer
{
    public const string NoNegativesWarning =
        "The query has no negative prompts, so scores are cosine similarities (about 0.2–0.35 for a match), not probabilities; add negatives for calibrated scores.";

    public ValueTask<ScoreBatch> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.Query.Negative.Count > 0 ? withNegatives : withoutNegatives).ScoreAsync(request, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : withNegatives.GetService(serviceType, serviceKey);
    }
}
