using System.Globalization;

namespace RichScoring;

/// <summary>
/// The weights of <see cref="WeightedScorer"/>, keyed by component name: <c>S_combined = Σ wᵢ · sᵢ</c>. A component
/// without an entry has weight 1; entries naming no component are ignored, so one set of options serves pipelines with
/// and without an optional component.
/// </summary>
public sealed class WeightedScorerOptions
{
    /// <summary>The conventional name of the CLIP component (weight α in the design note).</summary>
    public const string ClipName = "clip";

    /// <summary>The conventional name of the vision-language model component (weight β in the design note).</summary>
    public const string VisionLanguageName = "vlm";

    /// <summary>The conventional name of the metadata heuristics component.</summary>
    public const string HeuristicsName = "heuristics";

    /// <summary>The weight of a component that has no entry in <see cref="Weights"/>.</summary>
    public const float DefaultWeight = 1f;

    /// <summary>Gets the weights by component name (ordinal, case-sensitive); each must be finite and ≥ 0.</summary>
    public IDictionary<string, float> Weights { get; } = new Dictionary<string, float>(StringComparer.Ordinal);

    /// <summary>Gets or sets α, the weight of the <c>clip</c> component (<see cref="ClipName"/>); 1 unless set.</summary>
    public float Clip
    {
        get => Get(ClipName);
        set => Weights[ClipName] = value;
    }

    /// <summary>Gets or sets β, the weight of the <c>vlm</c> component (<see cref="VisionLanguageName"/>); 1 unless set.</summary>
    public float VisionLanguage
    {
        get => Get(VisionLanguageName);
        set => Weights[VisionLanguageName] = value;
    }

    /// <summary>Gets or sets the weight of the <c>heuristics</c> component (<see cref="HeuristicsName"/>); 1 unless set.</summary>
    public float Heuristics
    {
        get => Get(HeuristicsName);
        set => Weights[HeuristicsName] = value;
    }

    /// <summary>The weight of a component: its entry, or <see cref="DefaultWeight"/>.</summary>
    /// <param name="name">The component name.</param>
    public float Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Weights.TryGetValue(name, out var weight) ? weight : DefaultWeight;
    }

    /// <summary>Checks every weight.</summary>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentException">A weight is negative, NaN or infinite.</exception>
    internal void Validate(string paramName)
    {
        foreach (var (name, weight) in Weights)
        {
            if (!float.IsFinite(weight))
            {
                throw new ArgumentException($"weight '{name}' must be a finite number, got {weight.ToString(CultureInfo.InvariantCulture)}.", paramName);
            }

            if (weight < 0f)
            {
                throw new ArgumentException($"weight '{name}' must be ≥ 0, got {weight.ToString(CultureInfo.InvariantCulture)}.", paramName);
            }
        }
    }
}
