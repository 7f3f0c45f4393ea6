namespace RichScoring.Cli.Tests.Models;

/// <summary>What one richscore invocation returned and printed.</summary>
internal sealed record CliRun(int Exit, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
