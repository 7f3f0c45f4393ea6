using System.Globalization;
using RichScoring.Cli.Models;

namespace RichScoring.Cli.Commands;

/// <summary>Download progress as plain lines, for logs and redirected stderr: one when a file starts, one when it is done.</summary>
internal sealed class PlainDownloadReporter(TextWriter writer) : IProgress<DownloadProgress>
{
    public void Report(DownloadProgress value)
    {
        var size = value.BytesTotal is { } total ? ByteSizeText.Format(total) : "size unknown";
        var line = value.Stage switch
        {
            DownloadStage.Started when value.BytesDone > 0 =>
                string.Create(CultureInfo.InvariantCulture, $"resuming {value.Model}/{value.File} at {ByteSizeText.Format(value.BytesDone)} of {size}"),
            DownloadStage.Started => $"downloading {value.Model}/{value.File} ({size})",
            DownloadStage.Retrying => $"retrying {value.Model}/{value.File}: {value.Message}",
            DownloadStage.Completed => $"downloaded {value.Model}/{value.File} ({ByteSizeText.Format(value.BytesDone)}, verified)",
            _ => null,
        };
        if (line is not null)
        {
            writer.WriteLine(line);
        }
    }
}
