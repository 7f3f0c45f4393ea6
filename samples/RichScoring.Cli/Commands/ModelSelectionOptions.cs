using System.CommandLine;
using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Commands;

/// <summary>
/// The <c>--model</c> and <c>--variant</c> options shared by the commands that load a model, and the resolution behind
/// them (an existing folder wins, else a catalogue name downloaded on first use, with progress on stderr).
/// </summary>
internal sealed class ModelSelectionOptions
{
    public ModelSelectionOptions(ModelCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        Model = new("--model")
        {
            Description = $"A model name (see 'richscore models list') or a model folder. Default: {catalogue.DefaultName}.",
            HelpName = "name|folder",
        };
        Variant = CreateVariantOption();
    }

    public Option<string?> Model { get; }

    /// <summary>A <c>--variant quantized|fp32|fp16</c> option on its own (for commands that take a model name as an argument).</summary>
    public static Option<ModelVariant?> CreateVariantOption()
    {
        var option = new Option<ModelVariant?>("--variant")
        {
            Description = "Which weights: quantized (int8, the default for named models), fp32 or fp16.",
            HelpName = string.Join('|', ModelVariantNames.All),
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
                if (ModelVariantNames.TryParse(text, out var variant))
                {
                    return variant;
                }

                result.AddError($"Unknown variant '{text}'; use one of {string.Join(", ", ModelVariantNames.All)}.");
                return null;
            },
        };
        option.CompletionSources.Add(ModelVariantNames.All);
        return option;
    }

    public Option<ModelVariant?> Variant { get; }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Model);
        command.Options.Add(Variant);
    }

    /// <summary>Finds the model the options name, downloading it first when needed (progress goes to <paramref name="error"/>).</summary>
    public async Task<ResolvedModel> ResolveAsync(ParseResult parse, ModelServices services, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(services);
        var name = parse.GetValue(Model);
        var variant = parse.GetValue(Variant);
        var resolver = services.Resolver;
        if (!resolver.NeedsDownload(name, variant))
        {
            return await resolver.ResolveAsync(name, variant, null, cancellationToken).ConfigureAwait(false);
        }

        var (entry, chosen) = resolver.Pick(name, variant);
        return await DownloadProgressDisplay.RunAsync(
            error,
            DownloadProgressDisplay.Title(entry, chosen, services.Downloader.Endpoint),
            progress => resolver.ResolveAsync(name, variant, progress, cancellationToken)).ConfigureAwait(false);
    }
}
