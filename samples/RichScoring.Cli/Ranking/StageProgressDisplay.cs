using Spectre.Console;

namespace RichScoring.Cli.Ranking;

/// <summary>
/// Shows the pipeline's per-stage progress on stderr: Spectre.Console bars on a terminal (fetch, decode, embed, score),
/// one line per finished stage otherwise (logs, CI, tests).
/// </summary>
internal static class StageProgressDisplay
{
    private static readonly (string Stage, string Label)[] Stages =
    [
        ("acquire", "fetch"), ("identify", "decode"), ("embed", "embed"), ("score", "score"), ("dedup", "dedup"),
    ];

    public static async Task<T> RunAsync<T>(TextWriter error, Func<IProgress<ScoringProgress>, Task<T>> work)
    {
        if (!ReferenceEquals(error, Console.Error) || Console.IsErrorRedirected)
        {
            var plain = new PlainProgress(error);
            return await work(plain).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = Stages.ToDictionary(s => s.Stage, s => context.AddTask(s.Label, autoStart: false));
                var progress = new SpectreProgress(tasks);
                var result = await work(progress).ConfigureAwait(false);
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                }

                return result;
            }).ConfigureAwait(false);
    }

    private sealed class SpectreProgress(Dictionary<string, ProgressTask> tasks) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value)
        {
            if (tasks.TryGetValue(value.Stage, out var task))
            {
                task.StartTask();
                task.MaxValue = Math.Max(1, value.Total);
                task.Value = value.Completed;
            }
        }
    }

    private sealed class PlainProgress(TextWriter error) : IProgress<ScoringProgress>
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _done = [];

        public void Report(ScoringProgress value)
        {
            var label = Stages.FirstOrDefault(s => s.Stage == value.Stage).Label;
            if (label is null || value.Completed < value.Total)
            {
                return;
            }

            lock (_lock)
            {
                if (_done.Add(value.Stage))
                {
                    error.WriteLine($"{label}: {value.Completed}/{value.Total}");
                }
            }
        }
    }
}
