using System.CommandLine;
using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Commands;

/// <summary>
/// <c>richscore tokenize --model &lt;m&gt; "text" …</c>: one line per text, the JSON array of token ids the model receives
/// (start and end tokens included, truncated to the context length with the end token last, no padding). A truncated
/// text gets a warning on stderr.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create(ModelServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var model = new ModelSelectionOptions(services.Catalogue);
        var texts = new Argument<string[]>("text")
        {
            Description = "The texts to tokenize (quote each one).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("tokenize", "Print the token ids the model's text encoder receives for each text, one JSON array per line.");
        model.AddTo(command);
        command.Arguments.Add(texts);
        command.SetAction((parse, ct) => CommandErrors.RunAsync(parse, async (output, error) =>
        {
            var resolved = await model.ResolveAsync(parse, services, error, ct).ConfigureAwait(false);
            using var encoder = ClipTextEncoder.Create(resolved.Folder, resolved.CreateOnnxOptions());
            var all = parse.GetValue(texts) ?? [];
            for (var i = 0; i < all.Length; i++)
            {
                var tokens = encoder.Tokenize(all[i]);
                await output.WriteLineAsync("[" + string.Join(",", tokens.Ids) + "]").ConfigureAwait(false);
                if (tokens.Truncated)
                {
                    await error.WriteLineAsync(
                        $"warning: text {i + 1} is longer than the model's {encoder.ContextLength} tokens and was truncated: \"{Shorten(all[i])}\"").ConfigureAwait(false);
                }
            }

            return 0;
        }, ct));
        return command;
    }

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
