using RichScoring.Cli.Models;
using RichScoring.Onnx;
using Spectre.Console;

namespace RichScoring.Cli.Commands;

/// <summary>
/// Shows model-download progress on stderr: progress bars on an interactive terminal, plain lines otherwise (logs,
/// CI, redirected output, tests). Stdout stays clean for what the command prints.
/// </summary>
internal static class DownloadProgressDisplay
{
    /// <summary>Runs a download with progress shown on <paramref name="error"/>, after a title line.</summary>
    public static async Task<T> RunAsync<T>(TextWriter error, string title, Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(work);
        await error.WriteLineAsync(title).ConfigureAwait(false);
        if (!IsInteractiveTerminal(error))
        {
            return await work(new PlainDownloadReporter(error)).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = 16 },
                new PercentageColumn(),
                new DownloadedColumn { Base = FileSizeBase.Decimal },
                new RemainingTimeColumn())
            .StartAsync(context => work(new SpectreDownloadReporter(context)))
            .ConfigureAwait(false);
    }

    /// <summary>The title line of a catalogue model's download.</summary>
    public static string Title(ModelCatalogueEntry entry, ModelVariant variant, Uri endpoint) =>
        $"Downloading {entry.Name} ({ModelVariantNames.ToName(variant)}, ~{ByteSizeText.Format(entry.ApproximateSize(variant))}) " +
        $"from {endpoint.AbsoluteUri.TrimEnd('/')}/{entry.Repository}";

    private static bool IsInteractiveTerminal(TextWriter error) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
}
