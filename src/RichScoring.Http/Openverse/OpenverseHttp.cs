using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace RichScoring.Http;

/// <summary>The Openverse API client's stack: a time limit per page request, retries on 429 and 5xx honouring Retry-After.</summary>
internal static class OpenverseHttp
{
    public static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, OpenverseOptions options)
    {
        builder.AddTimeout(options.Timeout);
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
        });
    }

    public static HttpClient CreateClient(OpenverseOptions options)
    {
        var resilience = new ResiliencePipelineBuilder<HttpResponseMessage>();
        ConfigureResilience(resilience, options);
        var handler = new ResilienceHandler(resilience.Build())
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = true, MaxAutomaticRedirections = 3 },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }
}
