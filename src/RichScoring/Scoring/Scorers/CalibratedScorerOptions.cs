using System.Globalization;

namespace RichScoring;

/// <summary>Settings of <see cref="CalibratedScorer"/>: the model's logit scale, and its logit bias for sigmoid models.</summary>
public sealed class CalibratedScorerOptions
{
    /// <summary>The logit scale of OpenAI CLIP (exp of its learned temperature parameter, clamped to 100 in training).</summary>
    public const float ClipLogitScale = 100f;

    /// <summary>
    /// Gets or sets the factor applied to cosine similarities to form logits: finite and greater than 0. Defaults to
    /// 100 (<see cref="ClipLogitScale"/>); take it from the text encoder's <see cref="EncoderMetadata.LogitScale"/>
    /// when known (<see cref="FromEncoder"/>).
    /// </summary>
    public float LogitScale { get; set; } = ClipLogitScale;

    /// <summary>
    /// Gets or sets the logit bias of a sigmoid-trained model such as SigLIP. When set, the scorer uses
    /// per-prompt sigmoid probabilities instead of a softmax over the prompts; <see langword="null"/> (the default)
    /// for softmax-trained CLIP models.
    /// </summary>
    public float? LogitBias { get; set; }

    /// <summary>Options matching a model: its logit scale (100 when unknown) and its logit bias (sigmoid models only).</summary>
    /// <param name="metadata">The metadata of the text encoder of the model that embeds the images.</param>
    /// <returns>New options.</returns>
    public static CalibratedScorerOptions FromEncoder(EncoderMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new CalibratedScorerOptions
        {
            LogitScale = metadata.LogitScale ?? ClipLogitScale,
            LogitBias = metadata.LogitBias,
        };
    }

    /// <summary>Checks the settings.</summary>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal void Validate(string paramName)
    {
        if (!(LogitScale > 0f) || !float.IsFinite(LogitScale))
        {
            throw new ArgumentException(
                $"{nameof(CalibratedScorerOptions)}.{nameof(LogitScale)} must be a finite number > 0, got {LogitScale.ToString(CultureInfo.InvariantCulture)}.",
                paramName);
        }

        if (LogitBias is float bias && !float.IsFinite(bias))
        {
            throw new ArgumentException(
                $"{nameof(CalibratedScorerOptions)}.{nameof(LogitBias)} must be a finite number or null, got {bias.ToString(CultureInfo.InvariantCulture)}.",
                paramName);
        }
    }
}
