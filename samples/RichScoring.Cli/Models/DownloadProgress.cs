namespace RichScoring.Cli.Models;

/// <summary>A progress report for one file of a model download.</summary>
/// <param name="Model">The catalogue name.</param>
/// <param name="File">The file's path in the repository.</param>
/// <param name="Stage">What happened.</param>
/// <param name="BytesDone">Bytes on disk for this file, resumed bytes included.</param>
/// <param name="BytesTotal">The file's size when known.</param>
/// <param name="Message">Why a retry happens, for <see cref="DownloadStage.Retrying"/>.</param>
internal readonly record struct DownloadProgress(string Model, string File, DownloadStage Stage, long BytesDone, long? BytesTotal, string? Message = null);
