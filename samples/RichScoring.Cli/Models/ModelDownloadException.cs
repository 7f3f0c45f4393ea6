namespace RichScoring.Cli.Models;

/// <summary>A model could not be found, fetched or verified; the message is meant for the user as it stands.</summary>
internal sealed class ModelDownloadException : Exception
{
    public ModelDownloadException()
        : this("The model could not be downloaded.")
    {
    }

    public ModelDownloadException(string message)
        : base(message)
    {
    }

    public ModelDownloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
