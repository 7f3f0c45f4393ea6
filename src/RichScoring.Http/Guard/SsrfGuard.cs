using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RichScoring.Http;

/// <summary>
/// Keeps the fetcher away from the user's own network. URLs are checked before sending (scheme, literal IP), and every
/// connection is checked again in <see cref="ConnectAsync"/>, the <see cref="SocketsHttpHandler.ConnectCallback"/>:
/// the host is resolved here, every address is judged, and the socket connects only to an allowed one. So a redirect,
/// a name that resolves to a private address, or DNS rebinding between a check and the connection cannot slip past.
/// </summary>
internal sealed class SsrfGuard
{
    private readonly bool _allowPrivate;
    private readonly IPEndPoint[] _allowedEndpoints;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public SsrfGuard(HttpFetchOptions options)
    {
        _allowPrivate = options.AllowPrivateNetworks;
        _allowedEndpoints = [.. options.AllowedPrivateEndpoints.Select(e => new IPEndPoint(Normalize(e.Address), e.Port))];
        _resolve = options.Resolver ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
    }

    /// <summary>Refuses a URL that must not be sent at all: not absolute, not http(s), or a literal address that is not allowed.</summary>
    /// <exception cref="FetchRefusedException">The URL is refused.</exception>
    public void CheckUri(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            throw new FetchRefusedException($"refused: '{uri}' is not an absolute URL");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new FetchRefusedException($"refused: the scheme '{uri.Scheme}' is not allowed (only http and https)");
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.DnsSafeHost, out var literal))
        {
            var verdict = AddressClassifier.Classify(literal);
            if (!IsAllowed(literal, verdict, uri.Port))
            {
                throw new FetchRefusedException($"refused: {literal} is {verdict.Description}", literal);
            }
        }
    }

    /// <summary>Resolves, checks and connects; the handler's connect callback.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
            {
                throw new HostNotFoundException($"the host name '{host}' could not be resolved", ex);
            }
        }

        var allowed = new List<IPAddress>();
        var refused = new List<(IPAddress Address, AddressVerdict Verdict)>();
        foreach (var address in addresses)
        {
            var verdict = AddressClassifier.Classify(address);
            if (IsAllowed(address, verdict, port))
            {
                allowed.Add(Normalize(address));
            }
            else
            {
                refused.Add((address, verdict));
            }
        }

        if (allowed.Count == 0)
        {
            throw Refusal(host, literal is not null, refused);
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private bool IsAllowed(IPAddress address, AddressVerdict verdict, int port)
    {
        if (verdict.IsGlobal)
        {
            return true;
        }

        var normalized = Normalize(address);
        foreach (var endpoint in _allowedEndpoints)
        {
            if (endpoint.Address.Equals(normalized) && (endpoint.Port == 0 || endpoint.Port == port))
            {
                return true;
            }
        }

        // Link-local (cloud metadata) and the never-unicast kinds stay refused even when private networks are allowed.
        return _allowPrivate && verdict.Category is AddressCategory.Loopback or AddressCategory.Private or AddressCategory.CarrierGradeNat;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static FetchRefusedException Refusal(string host, bool isLiteral, List<(IPAddress Address, AddressVerdict Verdict)> refused)
    {
        if (refused.Count == 0)
        {
            return new FetchRefusedException($"refused: the host name '{host}' resolves to no address");
        }

        var (address, verdict) = refused[0];
        if (isLiteral)
        {
            return new FetchRefusedException($"refused: {address} is {verdict.Description}", address);
        }

        var more = refused.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {refused.Count - 1} more non-public addresses)") : string.Empty;
        return new FetchRefusedException($"refused: {host} resolves to {address}, {verdict.Description}{more}", address);
    }
}
