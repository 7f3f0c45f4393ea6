namespace RichScoring;

/// <summary>Settings of <see cref="ClipScoreScorer"/>.</summary>
public sealed class ClipScoreScorerOptions
{
    /// <summary>
    /// Gets or sets the factor w in <c>max(w · cos, 0)</c>: finite and greater than 0. Defaults to 100, torchmetrics'
    /// <c>CLIPScore</c>; the original CLIPScore paper (Hessel et al., 2021) uses 2.5.
    /// </summary>
    public float Scale { get; set; } = 100f;

    /// <summary>Checks the settings.</summary>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal void Validate(string paramName)
    {
        if (!(Scale > 0f) || !float.IsFinite(Scale))
        {
            throw new ArgumentException(
                $"{nameof(ClipScoreScorerOptions)}.{nameof(Scale)} must be a finite number > 0, got {Scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
                paramName);
        }
    }
}
