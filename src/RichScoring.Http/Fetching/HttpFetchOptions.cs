using System.Net;
using System.Reflection;

namespace RichScoring.Http;

/// <summary>
/// The limits and safety settings of <see cref="HttpCandidateFetcher"/>: time limits, retries, body size, redirects,
/// concurrency, user agent and the SSRF guard. Checked by <see cref="Validate"/> when a fetcher is created; the fetcher
/// keeps a copy, so changing an instance afterwards has no effect on it.
/// </summary>
public sealed class HttpFetchOptions
{
    /// <summary>The user agent sent when none is set: <c>RichScoring/&lt;version&gt;</c>.</summary>
    public static string DefaultUserAgent { get; } = "RichScoring/" + Version();

    /// <summary>The User-Agent header sent with every request. Default <see cref="DefaultUserAgent"/>.</summary>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>
    /// Largest body accepted, in bytes, counted while it streams in (a Content-Length is never trusted to allow
    /// more, and a body that never ends stops here). Default 20 MB.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Redirects followed at most; each hop goes through the SSRF guard. Default 3.</summary>
    public int MaxRedirects { get; set; } = 3;

    /// <summary>Most fetches in flight at once through one fetcher, whatever the callers' own parallelism. Default 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Time limit of one try: connecting, the response headers and the whole body. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one image, all tries, waits between them and redirects included. Default 30 s.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retries after a transient failure (a connection error, a try that timed out, HTTP 408, 429 or 5xx); never after
    /// another 4xx, a refusal of the guard or a body that is too large or not an image. Default 2.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first wait before a retry; it doubles with each retry, with jitter (a Retry-After header wins). Default 0.5 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Lets the fetcher connect to loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7) and carrier-grade NAT
    /// addresses. Link-local addresses (169.254/16, where cloud metadata lives; fe80::/10) and addresses that are
    /// never reachable unicast (unspecified, multicast, broadcast, documentation, reserved) stay refused. Default
    /// false: only public addresses are reached. Turn on only where every URL comes from a trusted source.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Specific non-public endpoints the fetcher may reach anyway (for example an intranet image server), each an
    /// address and a port (port 0: any port). Everything else non-public stays refused.
    /// </summary>
    public IList<IPEndPoint> AllowedPrivateEndpoints { get; } = [];

    /// <summary>Test hook: resolves a host name to addresses (default: the system resolver).</summary>
    internal Func<string, CancellationToken, Task<IPAddress[]>>? Resolver { get; set; }

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        using (var probe = new HttpRequestMessage())
        {
            if (string.IsNullOrWhiteSpace(UserAgent) || !probe.Headers.UserAgent.TryParseAdd(UserAgent))
            {
                throw new ArgumentException($"{nameof(UserAgent)} must be a valid User-Agent header value, got '{UserAgent}'.");
            }
        }

        if (MaxBodyBytes < 1 || MaxBodyBytes > Array.MaxLength - 1)
        {
            throw new ArgumentException($"{nameof(MaxBodyBytes)} must be between 1 and {Array.MaxLength - 1}, got {MaxBodyBytes}.");
        }

        Range(MaxRedirects, 0, 20, nameof(MaxRedirects));
        Range(MaxConcurrency, 1, 1024, nameof(MaxConcurrency));
        Range(MaxRetries, 0, 10, nameof(MaxRetries));
        Timeout(AttemptTimeout, nameof(AttemptTimeout));
        Timeout(TotalTimeout, nameof(TotalTimeout));
        if (TotalTimeout < AttemptTimeout)
        {
            throw new ArgumentException($"{nameof(TotalTimeout)} ({TotalTimeout}) must be at least {nameof(AttemptTimeout)} ({AttemptTimeout}).");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"{nameof(RetryBaseDelay)} must be between 0 and one day, got {RetryBaseDelay}.");
        }

        if (AllowedPrivateEndpoints.Any(e => e is null))
        {
            throw new ArgumentException($"{nameof(AllowedPrivateEndpoints)} contains null.");
        }
    }

    /// <summary>A copy, so that a fetcher is not changed by later edits of the caller's instance.</summary>
    internal HttpFetchOptions Clone()
    {
        var copy = new HttpFetchOptions
        {
            UserAgent = UserAgent,
            MaxBodyBytes = MaxBodyBytes,
            MaxRedirects = MaxRedirects,
            MaxConcurrency = MaxConcurrency,
            AttemptTimeout = AttemptTimeout,
            TotalTimeout = TotalTimeout,
            MaxRetries = MaxRetries,
            RetryBaseDelay = RetryBaseDelay,
            AllowPrivateNetworks = AllowPrivateNetworks,
            Resolver = Resolver,
        };
        foreach (var endpoint in AllowedPrivateEndpoints)
        {
            copy.AllowedPrivateEndpoints.Add(new IPEndPoint(endpoint.Address, endpoint.Port));
        }

        return copy;
    }

    private static void Range(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min} and {max}, got {value}.");
        }
    }

    private static void Timeout(TimeSpan value, string name)
    {
        // The resilience timeouts accept 10 ms to 24 h.
        if (value < TimeSpan.FromMilliseconds(10) || value > TimeSpan.FromHours(24))
        {
            throw new ArgumentException($"{name} must be between 10 ms and 24 h, got {value}.");
        }
    }

    private static string Version()
    {
        var informational = typeof(HttpFetchOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational?.Split('+')[0];
        return string.IsNullOrEmpty(version) ? "0.0" : version;
    }
}
