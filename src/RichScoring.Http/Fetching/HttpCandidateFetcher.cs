using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Timeout;

namespace RichScoring.Http;

/// <summary>
/// Fetches candidate images over HTTP safely: the SSRF guard on every hop and every connection, at most
/// <see cref="HttpFetchOptions.MaxRedirects"/> redirects, retries with backoff on transient failures, a per-try and a
/// total time limit, a body limit enforced while streaming, content identified from its bytes, and a bound on the
/// fetches in flight. Every failure is an exception whose message reads well as a candidate's Failed reason
/// (<c>HTTP 404 Not Found</c>, <c>refused: 10.0.0.1 is a private address</c>, <c>not an image: HTML document</c>).
/// </summary>
/// <remarks>
/// Thread-safe; one instance serves the whole application. Created directly it owns its <see cref="HttpClient"/>
/// (disposed with it); registered by <c>services.AddRichScoringHttp()</c> it uses the client factory's named client.
/// </remarks>
public sealed class HttpCandidateFetcher : ICandidateFetcher, IDisposable
{
    private readonly Func<HttpClient> _client;
    private readonly HttpClient? _owned;
    private readonly HttpFetchOptions _options;
    private readonly SsrfGuard _guard;
    private readonly SemaphoreSlim _slots;
    private readonly ILogger _logger;

    /// <summary>Creates a fetcher with its own connection pool (for use without dependency injection).</summary>
    /// <param name="options">Limits and guard settings; defaults when null.</param>
    /// <param name="loggerFactory">Where fetches, refusals and failures are logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public HttpCandidateFetcher(HttpFetchOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(Checked(options), loggerFactory, null)
    {
    }

    /// <summary>Creates a fetcher over a client factory's named client (dependency injection).</summary>
    internal HttpCandidateFetcher(HttpFetchOptions options, ILoggerFactory? loggerFactory, Func<HttpClient>? clients)
    {
        options.Validate();
        _options = options.Clone();
        _guard = new SsrfGuard(_options);
        if (clients is null)
        {
            _owned = FetchPipeline.CreateClient(_options);
            _client = () => _owned;
        }
        else
        {
            _client = clients;
        }

        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<HttpCandidateFetcher>();
    }

    /// <inheritdoc />
    /// <exception cref="FetchRefusedException">The SSRF guard refused the URL, a redirect or an address.</exception>
    /// <exception cref="InvalidImageException">The body is empty, too large or not an image.</exception>
    /// <exception cref="HttpRequestException">An HTTP error status, too many redirects, or a connection failure after the retries.</exception>
    /// <exception cref="TimeoutException">The per-try or the total time limit ran out.</exception>
    public async Task<ReadOnlyMemory<byte>> FetchAsync(Uri source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The total limit starts once a slot is ours: waiting for one is the caller's parallelism, not this image's time.
            var start = Stopwatch.GetTimestamp();
            var attempts = new FetchAttempts();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.TotalTimeout);
            try
            {
                var body = await FetchCoreAsync(source, attempts, deadline.Token).ConfigureAwait(false);
                var milliseconds = (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Log.Fetched(_logger, source, body.Length, milliseconds, attempts.Count);

                return body;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = Translate(ex, attempts.Count, deadline.IsCancellationRequested);
                if (failure is FetchRefusedException)
                {
                    Log.Refused(_logger, source, failure.Message);
                }
                else
                {
                    Log.Failed(_logger, source, failure.Message);
                }

                if (ReferenceEquals(failure, ex))
                {
                    throw;
                }

                throw failure;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Releases the connection pool, when the fetcher created its own.</summary>
    public void Dispose()
    {
        _owned?.Dispose();
        _slots.Dispose();
    }

    private async Task<ReadOnlyMemory<byte>> FetchCoreAsync(Uri source, FetchAttempts attempts, CancellationToken cancellationToken)
    {
        var client = _client();
        var current = source;
        for (var hop = 0; ; hop++)
        {
            _guard.CheckUri(current);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", "image/*,*/*;q=0.8");
            request.Options.Set(FetchAttempts.Key, attempts);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode))
            {
                var location = response.Headers.Location
                    ?? throw new HttpRequestException($"{Status(response)}: a redirect without a Location header", null, response.StatusCode);
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (hop >= _options.MaxRedirects)
                {
                    throw new HttpRequestException(
                        string.Create(CultureInfo.InvariantCulture, $"too many redirects: more than {_options.MaxRedirects} (the next one to {next})"),
                        null,
                        response.StatusCode);
                }

                Log.Redirected(_logger, hop + 1, current, next);
                current = next;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(Status(response) + Tries(attempts.Count), null, response.StatusCode);
            }

            return response.Content is BufferedBody body
                ? body.Data
                : throw new InvalidImageException(ImageErrorKind.Empty, $"empty: {Status(response)} without a body");
        }
    }

    private Exception Translate(Exception ex, int attempts, bool deadlinePassed)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is FetchRefusedException or InvalidImageException)
            {
                return e;
            }

            if (e is HostNotFoundException)
            {
                return new HttpRequestException(HttpRequestError.NameResolutionError, e.Message, e);
            }
        }

        switch (ex)
        {
            case OperationCanceledException when deadlinePassed:
                return new TimeoutException($"timed out: the {Seconds(_options.TotalTimeout)} limit per image ran out{Tries(attempts)}", ex);
            case TimeoutRejectedException rejected:
                var which = rejected.Timeout >= _options.TotalTimeout ? "limit per image" : "limit per try";
                return new TimeoutException($"timed out: the {Seconds(rejected.Timeout)} {which} ran out{Tries(attempts)}", ex);
            case HttpRequestException { StatusCode: not null }:
                return ex; // our own message, status and tries included
            case HttpRequestException http:
                return new HttpRequestException(http.HttpRequestError, $"connection failed: {Innermost(http).Message}{Tries(attempts)}", http);
            default:
                return ex;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string Status(HttpResponseMessage response) =>
        string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}");

    private static string Tries(int attempts) =>
        attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({attempts} tries)") : string.Empty;

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.###} s");

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static HttpFetchOptions Checked(HttpFetchOptions? options)
    {
        var checkedOptions = options ?? new HttpFetchOptions();
        checkedOptions.Validate();
        return checkedOptions;
    }
}
