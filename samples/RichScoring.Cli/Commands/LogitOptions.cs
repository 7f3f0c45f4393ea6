using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RichScoring.Onnx;

namespace RichScoring.Cli.Commands;

/// <summary>
/// The <c>--logit-scale</c> and <c>--logit-bias</c> options of the commands that build a scoring pipeline: a SigLIP
/// model's learned calibration, which a transformers.js split export does not carry (docs/models.md). They become
/// <see cref="OnnxModelOptions.LogitScale"/> / <see cref="OnnxModelOptions.LogitBias"/> and override the folder's values.
/// </summary>
internal sealed class LogitOptions
{
    public const string ScaleName = "--logit-scale";

    public const string BiasName = "--logit-bias";

    public LogitOptions()
    {
        Scale = new(ScaleName)
        {
            Description = "The model's learned logit scale, as the multiplier exp(logit_scale) (Python: model.logit_scale.exp().item()). " +
                          "Needed, with --logit-bias, to rank with a SigLIP split export; overrides the model folder's value.",
            HelpName = "multiplier",
            CustomParser = result => Parse(result, ScaleName, positive: true),
        };
        Bias = new(BiasName)
        {
            Description = "The model's learned logit bias (Python: model.logit_bias.item()). Needed, with --logit-scale, to rank with " +
                          "a SigLIP split export; overrides the model folder's value (for a CLIP model it turns the softmax into sigmoid scores).",
            HelpName = "bias",
            CustomParser = result => Parse(result, BiasName, positive: false),
        };
    }

    public Option<float?> Scale { get; }

    public Option<float?> Bias { get; }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Scale);
        command.Options.Add(Bias);
    }

    /// <summary>
    /// The one line for a <see cref="ModelFolderException"/> that refuses a SigLIP folder for its unknown logit scale
    /// and bias, in command-line terms; null for any other exception (its own message is shown).
    /// </summary>
    /// <param name="exception">What building the pipeline threw.</param>
    /// <param name="scale">The <c>--logit-scale</c> given, if any.</param>
    /// <param name="bias">The <c>--logit-bias</c> given, if any.</param>
    public static string? MissingLogitsMessage(Exception exception, float? scale, float? bias)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // The library's advice is C# (OnnxModelOptions), so it is replaced rather than repeated.
        if (exception is not ModelFolderException { LacksLogitCalibration: true } folderException)
        {
            return null;
        }

        var folder = folderException.Folder is { } f ? $"Model folder '{f}'" : "The model";
        var pass = (scale, bias) switch
        {
            (not null, null) => $"{ScaleName} was given; pass {BiasName} <bias> too",
            (null, not null) => $"{BiasName} was given; pass {ScaleName} <multiplier> too",
            _ => $"pass {ScaleName} <multiplier> and {BiasName} <bias>",
        };
        return $"{folder} is a SigLIP export that does not carry its learned logit scale and bias (a transformers.js " +
               $"split export outputs only embeddings, and SigLIP's config.json does not hold them): {pass} (the checkpoint's " +
               "values, as Python prints them: model.logit_scale.exp().item() and model.logit_bias.item()), or add " +
               "\"logit_scale\" (the log value) and \"logit_bias\" to the folder's config.json.";
    }

    private static float? Parse(ArgumentResult result, string name, bool positive)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && float.IsFinite(value)
            && (!positive || value > 0))
        {
            return value;
        }

        result.AddError(positive
            ? $"{name} must be a finite number > 0, the multiplier exp(logit_scale) (not the log value); got '{text}'."
            : $"{name} must be a finite number, the model's logit_bias; got '{text}'.");
        return null;
    }
}
