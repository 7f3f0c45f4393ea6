using System.CommandLine;

namespace RichScoring.Cli;

/// <summary>The richscore command tree. Commands are added by their own files; this wires them together.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("richscore — turn an image search into a short, ranked, varied list of good reference images.");
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
