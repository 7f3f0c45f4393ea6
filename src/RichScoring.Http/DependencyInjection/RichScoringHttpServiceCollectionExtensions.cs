using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RichScoring.Http;

/// <summary>Registers the safe image fetcher and the Openverse search with dependency injection.</summary>
public static class RichScoringHttpServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client that fetches candidate images.</summary>
    public const string FetchClientName = "RichScoring.Fetch";

    /// <summary>The name of the <see cref="IHttpClientFactory"/> client that calls the Openverse API.</summary>
    public const string OpenverseClientName = "RichScoring.Openverse";

    /// <summary>
    /// Registers <see cref="ICandidateFetcher"/> (a <see cref="HttpCandidateFetcher"/> over the named client
    /// <see cref="FetchClientName"/>: SSRF-guarded connections, body limit and sniffing, retries and timeouts through
    /// Microsoft.Extensions.Http.Resilience) and <see cref="OpenverseSourceFactory"/> (over <see cref="OpenverseClientName"/>;
    /// configure it with <c>services.Configure&lt;OpenverseOptions&gt;(…)</c>). Both are singletons.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the fetcher's limits and guard.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRichScoringHttp(this IServiceCollection services, Action<HttpFetchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var fetchOptions = services.AddOptions<HttpFetchOptions>();
        if (configure is not null)
        {
            fetchOptions.Configure(configure);
        }

        services.AddOptions<OpenverseOptions>();

        // Handlers run in the order added: resilience (outer) → body limit and sniffing (inside each try) → guarded sockets.
        var fetch = services.AddHttpClient(FetchClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => FetchPipeline.CreatePrimaryHandler(FetchOptions(sp)));
        fetch.AddResilienceHandler("richscoring-fetch", (builder, context) => FetchPipeline.ConfigureResilience(builder, FetchOptions(context.ServiceProvider)));
        fetch.AddHttpMessageHandler(sp => new BodyLimitHandler(FetchOptions(sp).MaxBodyBytes));

        services.AddHttpClient(OpenverseClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("richscoring-openverse", (builder, context) => OpenverseHttp.ConfigureResilience(builder, OpenverseOptions(context.ServiceProvider)));

        services.TryAddSingleton<ICandidateFetcher>(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new HttpCandidateFetcher(FetchOptions(sp), sp.GetService<ILoggerFactory>(), () => factory.CreateClient(FetchClientName));
        });
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new OpenverseSourceFactory(OpenverseOptions(sp), sp.GetService<ILoggerFactory>(), () => factory.CreateClient(OpenverseClientName));
        });
        return services;
    }

    private static HttpFetchOptions FetchOptions(IServiceProvider services) => services.GetRequiredService<IOptions<HttpFetchOptions>>().Value;

    private static OpenverseOptions OpenverseOptions(IServiceProvider services) => services.GetRequiredService<IOptions<OpenverseOptions>>().Value;
}
