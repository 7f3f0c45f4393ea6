using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace RichScoring.Http;

/// <summary>
/// Builds the fetcher's HTTP stack, the same with or without dependency injection: total timeout → retry → per-try
/// timeout (Microsoft.Extensions.Http.Resilience) → body limit and sniffing → a <see cref="SocketsHttpHandler"/> that
/// connects only through the SSRF guard and follows no redirect itself.
/// </summary>
internal static class FetchPipeline
{
    public static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpFetchOptions options)
    {
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Transient failures are retried; our own refusals and verdicts on the content never are.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        for (var e = outcome.Exception; e is not null; e = e.InnerException)
        {
            if (e is FetchRefusedException or InvalidImageException or HostNotFoundException)
            {
                return false;
            }
        }

        return HttpClientResiliencePredicates.IsTransient(outcome);
    }

    public static SocketsHttpHandler CreatePrimaryHandler(HttpFetchOptions options)
    {
        var guard = new SsrfGuard(options);
        return new SocketsHttpHandler
        {
            // Redirects are followed by the fetcher, hop by hop, so that each one is checked and counted.
            AllowAutoRedirect = false,
            // Through a proxy the guard would judge the proxy, not the target: connect directly, always.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = guard.ConnectAsync,
            ConnectTimeout = options.AttemptTimeout,
            // Long-lived handlers (outside the client factory) still pick up DNS changes.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The whole stack in one <see cref="HttpClient"/>, for use without a client factory (one per fetcher, long-lived).</summary>
    public static HttpClient CreateClient(HttpFetchOptions options)
    {
        var resilience = new ResiliencePipelineBuilder<HttpResponseMessage>();
        ConfigureResilience(resilience, options);
        var handler = new ResilienceHandler(resilience.Build())
        {
            InnerHandler = new BodyLimitHandler(options.MaxBodyBytes) { InnerHandler = CreatePrimaryHandler(options) },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
