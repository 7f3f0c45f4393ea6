using System.Buffers;
using RichScoring.Numerics;

namespace RichScoring;

/// <summary>
/// The design note's contrast score: how much better an image matches the best positive prompt than the best negative
/// one, <c>S = max_p cos(I, P) − max_n cos(I, N)</c> (just <c>max_p cos(I, P)</c> when the query has no negatives).
/// </summary>
/// <remarks>
/// <para>
/// Scale: cosine units, in [−2, 2] in principle (roughly [−1, 1] for one set); for CLIP typically −0.1 … 0.1, because
/// CLIP's image–text cosines all lie near 0.15 … 0.35. Good for ranking the candidates of one query; not calibrated
/// across queries (a threshold that suits one prompt set does not suit another).
/// </para>
/// <para>
/// With <see cref="ContrastScorerOptions.Smooth"/>, each maximum becomes <c>T · logsumexp(cos / T)</c> over its set.
/// Thread-safe; the request is only read.
/// </para>
/// </remarks>
public sealed class ContrastScorer : IScorer
{
    /// <summary>The name of this scorer's term in <see cref="ScoreBreakdown.Components"/>.</summary>
    public const string ComponentName = "clip.contrast";

    private const int StackScratch = 256;

    private readonly bool _smooth;
    private readonly float _temperature;

    /// <summary>Creates the scorer.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the hard maximum.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ContrastScorer(ContrastScorerOptions? options = null)
    {
        options ??= new ContrastScorerOptions();
        options.Validate(nameof(options));
        _smooth = options.Smooth;
        _temperature = options.Temperature;
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
                float score;
                if (_smooth)
                {
                    score = SoftMaximum(similarities.PositiveRow(i), _temperature, scratch);
                    if (similarities.Negatives > 0)
                    {
                        score -= SoftMaximum(similarities.NegativeRow(i), _temperature, scratch);
                    }
                }
                else
                {
                    score = bestPositive?.Similarity ?? float.NaN;
                    if (similarities.Negatives > 0)
                    {
                        score -= bestNegative?.Similarity ?? float.NaN;
                    }
                }

                values[i] = score;
                breakdowns[i] = new ScoreBreakdown
                {
                    Components = [new ScoreComponent(ComponentName, score)],
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

    /// <summary>
    /// The smooth maximum <c>T · log Σ exp(xᵢ / T)</c>: at least max(x), at most max(x) + T·ln(length), computed with
    /// the max subtracted so that it never overflows however small T is.
    /// </summary>
    /// <param name="x">The values; not empty.</param>
    /// <param name="temperature">T, finite and &gt; 0.</param>
    /// <param name="scratch">At least as long as <paramref name="x"/>.</param>
    internal static float SoftMaximum(ReadOnlySpan<float> x, float temperature, Span<float> scratch)
    {
        var scaled = scratch[..x.Length];
        EmbeddingMath.ApplyTemperature(x, temperature, scaled);
        return temperature * EmbeddingMath.LogSumExp(scaled);
    }
}
