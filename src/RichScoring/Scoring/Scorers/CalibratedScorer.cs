using System.Buffers;
using System.Numerics.Tensors;
using RichScoring.Numerics;

namespace RichScoring;

/// <summary>
/// A probability that the image is what was asked for rather than one of the negatives, from the model's own
/// calibration.
/// </summary>
/// <remarks>
/// <para>
/// Softmax models (CLIP, <see cref="CalibratedScorerOptions.LogitBias"/> unset): a softmax over <em>all</em> prompts,
/// positives and negatives, of <c>s · cos</c> at the model's logit scale s (100 for CLIP), as CLIP's zero-shot
/// classifier does; <c>P(wanted) = Σ_p softmax_p</c>, the share of the belief that falls on the positive prompts.
/// Without negative prompts this is 1 for every image, so give negatives when using it.
/// </para>
/// <para>
/// Sigmoid models (SigLIP, bias b set): each prompt gets its own probability <c>σ_j = σ(s · cos_j + b)</c>, and
/// <c>P(wanted) = max_p σ_p · (1 − max_n σ_n)</c>: the image matches its best positive and not its best negative
/// (treated as independent); <c>max_p σ_p</c> alone without negatives.
/// </para>
/// <para>
/// Scale: 0 … 1. The softmax is computed with the maximum subtracted, so logits of 100 never overflow. Being a
/// probability it is comparable across queries, which makes it the score to put a threshold on (0.5 is a natural
/// start). Thread-safe; the request is only read.
/// </para>
/// </remarks>
public sealed class CalibratedScorer : IScorer
{
    /// <summary>The name of this scorer's term in <see cref="ScoreBreakdown.Components"/>.</summary>
    public const string ComponentName = "clip.probability";

    private const int StackScratch = 256;

    private readonly float _logitScale;
    private readonly float? _logitBias;

    /// <summary>Creates the scorer.</summary>
    /// <param name="options">Settings; <see langword="null"/> for CLIP's softmax at logit scale 100.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public CalibratedScorer(CalibratedScorerOptions? options = null)
    {
        options ??= new CalibratedScorerOptions();
        options.Validate(nameof(options));
        _logitScale = options.LogitScale;
        _logitBias = options.LogitBias;
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
        float[]? rented = null;
        Span<float> scratch = similarities.Prompts <= StackScratch
            ? stackalloc float[StackScratch]
            : (rented = ArrayPool<float>.Shared.Rent(similarities.Prompts));
        try
        {
            for (var i = 0; i < count; i++)
            {
                var bestPositive = similarities.BestPositive(i);
                var bestNegative = similarities.BestNegative(i);
                var probability = _logitBias is float bias
                    ? SigmoidProbability(similarities, i, _logitScale, bias)
                    : SoftmaxProbability(similarities.Row(i), similarities.Positives, _logitScale, scratch);
                values[i] = probability;
                breakdowns[i] = new ScoreBreakdown
                {
                    Components = [new ScoreComponent(ComponentName, probability)],
                    BestPositive = bestPositive,
                    BestNegative = bestNegative,
                };
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        return ValueTask.FromResult(new ScoreBatch(values, breakdowns));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Σ over the first <paramref name="positives"/> entries of softmax(scale · cosines).</summary>
    internal static float SoftmaxProbability(ReadOnlySpan<float> cosines, int positives, float logitScale, Span<float> scratch)
    {
        var probabilities = scratch[..cosines.Length];
        EmbeddingMath.Scale(cosines, logitScale, probabilities);
        EmbeddingMath.Softmax(probabilities, probabilities);
        return positives == cosines.Length
            ? (float.IsNaN(probabilities[0]) ? float.NaN : 1f) // no negatives: all the mass is on the positives
            : TensorPrimitives.Sum(probabilities[..positives]);
    }

    private static float SigmoidProbability(PromptSimilarities similarities, int candidate, float logitScale, float logitBias)
    {
        // σ is increasing, so the largest per-prompt probability is σ of the largest cosine.
        var positive = Sigmoid((logitScale * PromptSimilarities.Max(similarities.PositiveRow(candidate))) + logitBias);
        if (similarities.Negatives == 0)
        {
            return positive;
        }

        // 1 − σ(x) = σ(−x), which keeps its precision where σ(x) is close to 1.
        var notNegative = Sigmoid(-((logitScale * PromptSimilarities.Max(similarities.NegativeRow(candidate))) + logitBias));
        return positive * notNegative;
    }

    // Finite for every input: exp overflows to +Inf for x < −88, giving exactly 0.
    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
