using System.CommandLine;
using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Commands;

/// <summary>
/// Runs a command's body and turns failures into one clean line on stderr (<c>error: …</c>, exit 1); the full
/// exception follows only with the global <c>--verbose</c> option.
/// </summary>
internal static class CommandErrors
{
    public const string VerboseName = "--verbose";

    public const int Failure = 1;

    /// <summary>The exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The global option; CliApp adds it to the root command (it applies to every sub-command).</summary>
    public static Option<bool> CreateVerboseOption() => new(VerboseName)
    {
        Description = "Show full error details, stack traces included.",
        Recursive = true,
    };

    /// <summary>Whether <c>--verbose</c> was given.</summary>
    public static bool IsVerbose(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.RootCommandResult.Command.Options.FirstOrDefault(o => o.Name == VerboseName) is Option<bool> verbose && parse.GetValue(verbose);
    }

    /// <summary>Runs <paramref name="body"/> with the invocation's output and error writers.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<TextWriter, TextWriter, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await body(output, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled.").ConfigureAwait(false);
            return Cancelled;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync("error: " + Describe(ex)).ConfigureAwait(false);
            if (IsVerbose(parse))
            {
                await error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return Failure;
        }
    }

    /// <summary>One line for the user: expected failures say what happened; anything else also names its type.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception switch
        {
            ModelDownloadException or ModelFolderException or InvalidImageException => exception.Message,
            FileNotFoundException { FileName: { } name } => $"file not found: {name}",
            IOException or UnauthorizedAccessException => exception.Message,
            HttpRequestException => $"network error: {exception.Message}",
            _ => $"{exception.Message} ({exception.GetType().Name}; run with {VerboseName} for details)",
        };
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
