namespace RichScoring;

/// <summary>Settings of <see cref="ContrastScorer"/>.</summary>
public sealed class ContrastScorerOptions
{
    /// <summary>
    /// Gets or sets whether each maximum is replaced by a smooth maximum, <c>T · log Σ exp(cos / T)</c> over the set, so
    /// that every prompt of a set counts a little rather than only the best one. Off by default.
    /// </summary>
    public bool Smooth { get; set; }

    /// <summary>
    /// Gets or sets the temperature T of the smooth maximum, in cosine units: finite and greater than 0. The smooth
    /// maximum exceeds the plain one by at most <c>T · ln k</c> for a set of k prompts and tends to it as T → 0.
    /// Defaults to 0.01, the inverse of CLIP's learned logit scale (100): the sharpness CLIP itself compares
    /// similarities at in training.
    /// </summary>
    public float Temperature { get; set; } = 0.01f;

    /// <summary>Checks the settings.</summary>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal void Validate(string paramName)
    {
        if (!(Temperature > 0f) || !float.IsFinite(Temperature))
        {
            throw new ArgumentException(
                $"{nameof(ContrastScorerOptions)}.{nameof(Temperature)} must be a finite number > 0, got {Temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
                paramName);
        }
    }
}
