namespace RichScoring.Cli.Models;

/// <summary>Where one file of a model download stands.</summary>
internal enum DownloadStage
{
    /// <summary>Already complete on disk: no request was made.</summary>
    Skipped,

    /// <summary>The transfer started (<see cref="DownloadProgress.BytesDone"/> above zero when resuming).</summary>
    Started,

    /// <summary>Bytes arrived.</summary>
    Transferring,

    /// <summary>The transfer failed and is tried again (resuming where it stopped).</summary>
    Retrying,

    /// <summary>Verified and moved into place.</summary>
    Completed,
}
