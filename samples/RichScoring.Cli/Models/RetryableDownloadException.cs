namespace RichScoring.Cli.Models;

/// <summary>A transfer failed in a way a retry (resuming the partial file) may cure: a cut connection, a stall, a 5xx.</summary>
internal sealed class RetryableDownloadException : Exception
{
    public RetryableDownloadException()
        : this("The transfer failed.")
    {
    }

    public RetryableDownloadException(string message)
        : base(message)
    {
    }

    public RetryableDownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
