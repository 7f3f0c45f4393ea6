namespace RichScoring;

/// <summary>
/// CLIPScore against the best positive prompt: <c>max(w · max_p cos(I, P), 0)</c> with w = 100 by default, as
/// torchmetrics' <c>CLIPScore</c> defines it. Negative prompts do not enter the score (the breakdown still reports the
/// best-matching one).
/// </summary>
/// <remarks>
/// Scale: 0 … 100 (with w = 100); matching CLIP ViT-B/32 image–caption pairs typically score 20 … 35, unrelated
/// ones 10 … 20. Familiar from the literature and good for ranking; not calibrated across queries.
/// Thread-safe; the request is only read.
/// </remarks>
public sealed class ClipScoreScorer : IScorer
{
    /// <summary>The name of this scorer's term in <see cref="ScoreBreakdown.Components"/>.</summary>
    public const string ComponentName = "clip.score";

    private readonly float _scale;

    /// <summary>Creates the scorer.</summary>
    /// <param name="options">Settings; <see langword="null"/> for w = 100.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ClipScoreScorer(ClipScoreScorerOptions? options = null)
    {
        options ??= new ClipScoreScorerOptions();
        options.Validate(nameof(options));
        _scale = options.Scale;
    }

    /// <inheritdoc />
    public ValueTask<ScoreBatch> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        using var similarities = PromptSimilarities.Compute(request);
        var count = similarities.Candidates;
        var values = new float[count];
        var breakdowns = new ScoreBreakdown[count];
        for (var i = 0; i < count; i++)
        {
            var bestPositive = similarities.BestPositive(i);
            var cosine = bestPositive?.Similarity ?? float.NaN;

            var score = MathF.Max(_scale * cosine, 0f); // NaN stays NaN (IEEE maximum)
            values[i] = score;
            breakdowns[i] = new ScoreBreakdown
            {
                Components = [new ScoreComponent(ComponentName, score)],
                BestPositive = bestPositive,
                BestNegative = similarities.BestNegative(i),
            };
        }

        return ValueTask.FromResult(new ScoreBatch(values, breakdowns));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }
}
