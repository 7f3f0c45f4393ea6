using System.Net;

namespace RichScoring.Http;

/// <summary>
/// The fetcher refused a URL before sending anything to it: a scheme other than http or https, or an address that is
/// not public (loopback, private, link-local, carrier-grade NAT, multicast, reserved…), found in the URL itself, in a
/// redirect or in what a host name resolves to at connect time. The message says what and why, for example
/// <c>refused: 169.254.169.254 is a link-local address (cloud metadata)</c>. Never retried.
/// </summary>
public sealed class FetchRefusedException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public FetchRefusedException()
        : this("refused")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was refused and why.</param>
    public FetchRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="innerException">The cause, if any.</param>
    public FetchRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about one address.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="address">The refused address, if the refusal is about one.</param>
    internal FetchRefusedException(string message, IPAddress? address)
        : base(message)
    {
        Address = address;
    }

    /// <summary>The refused address, when the refusal is about an address (not about a scheme).</summary>
    public IPAddress? Address { get; }
}
