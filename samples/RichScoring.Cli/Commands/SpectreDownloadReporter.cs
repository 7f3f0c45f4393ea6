using RichScoring.Cli.Models;
using Spectre.Console;

namespace RichScoring.Cli.Commands;

/// <summary>Download progress as Spectre.Console progress bars, one per file, labelled with the file's name.</summary>
internal sealed class SpectreDownloadReporter(ProgressContext context) : IProgress<DownloadProgress>
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Report(DownloadProgress value)
    {
        if (value.Stage == DownloadStage.Skipped)
        {
            return;
        }

        lock (_lock)
        {
            var key = value.Model + "/" + value.File;
            var label = value.File[(value.File.LastIndexOf('/') + 1)..];
            if (!_tasks.TryGetValue(key, out var task))
            {
                task = context.AddTask(Markup.Escape(label), autoStart: true, maxValue: Math.Max(1, value.BytesTotal ?? 1));
                _tasks[key] = task;
            }

            task.IsIndeterminate = value.BytesTotal is null && value.Stage != DownloadStage.Completed;
            if (value.BytesTotal is { } total && total > 0)
            {
                task.MaxValue = total;
            }

            switch (value.Stage)
            {
                case DownloadStage.Retrying:
                    task.Description = Markup.Escape($"{label} (retrying)");
                    break;
                case DownloadStage.Completed:
                    task.Description = Markup.Escape(label);
                    task.MaxValue = Math.Max(1, value.BytesDone);
                    task.Value = task.MaxValue;
                    task.StopTask();
                    break;
                default:
                    task.Description = Markup.Escape(label);
                    task.Value = value.BytesDone;
                    break;
            }
        }
    }
}
