using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>Log messages of the candidate sources (source-generated).</summary>
internal static partial class SourceLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Skipped the folder {Folder}: {Reason}")]
    public static partial void FolderSkipped(ILogger logger, string folder, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Listed {Count} images in {Folder}")]
    public static partial void FolderListed(ILogger logger, int count, string folder);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Read {Count} entries from the list {Path}")]
    public static partial void ListRead(ILogger logger, int count, string path);
}
