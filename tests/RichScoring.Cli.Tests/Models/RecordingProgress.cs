using System.Collections.Concurrent;
using RichScoring.Cli.Models;

namespace RichScoring.Cli.Tests.Models;

/// <summary>Collects progress reports synchronously, optionally acting on each one.</summary>
internal sealed class RecordingProgress(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
{
    private readonly ConcurrentQueue<DownloadProgress> _reports = new();

    public IReadOnlyList<DownloadProgress> Reports => [.. _reports];

    public void Report(DownloadProgress value)
    {
        _reports.Enqueue(value);
        onReport?.Invoke(value);
    }
}
