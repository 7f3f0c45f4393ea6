using System.CommandLine;
using RichScoring.Cli.Commands;
using RichScoring.Cli.Models;

namespace RichScoring.Cli;

/// <summary>The richscore command tree. Commands are added by their own files; this wires them together.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var models = ModelServices.FromEnvironment();
        return await RunAsync(args, output, error, models, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs with the given model catalogue, cache and hub (tests pass a loopback hub and a temporary cache).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, ModelServices models, CancellationToken cancellationToken)
    {
        var root = new RootCommand("richscore — turn an image search into a short, ranked, varied list of good reference images.");
        root.Options.Add(CommandErrors.CreateVerboseOption());
        root.Subcommands.Add(RankCommand.Create(models));
        root.Subcommands.Add(ModelsCommand.Create(models));
        root.Subcommands.Add(TokenizeCommand.Create(models));
        root.Subcommands.Add(PreprocessCommand.Create(models));
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
