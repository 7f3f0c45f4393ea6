namespace RichScoring.Http;

/// <summary>A host name that does not resolve: a permanent failure, so it is not retried.</summary>
internal sealed class HostNotFoundException : Exception
{
    public HostNotFoundException()
    {
    }

    public HostNotFoundException(string message)
        : base(message)
    {
    }

    public HostNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
