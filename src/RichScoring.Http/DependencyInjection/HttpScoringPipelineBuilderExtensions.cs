using Microsoft.Extensions.Logging;

namespace RichScoring.Http;

/// <summary>Plugs the safe image fetcher into a <see cref="ScoringPipelineBuilder"/> (without dependency injection).</summary>
public static class HttpScoringPipelineBuilderExtensions
{
    /// <summary>
    /// Fetches web candidates with a new <see cref="HttpCandidateFetcher"/>, made when the pipeline is built (not when
    /// the settings are only validated). It holds its own long-lived connection pool (connections are renewed every two
    /// minutes, so DNS changes are seen): build one pipeline and keep it, since each build creates another pool.
    /// Disposing the pipeline disposes the fetcher and its pool.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Limits and guard settings; defaults (guard on) when null.</param>
    /// <param name="loggerFactory">Where fetches, refusals and failures are logged.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ScoringPipelineBuilder UseHttpFetcher(this ScoringPipelineBuilder builder, HttpFetchOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options?.Validate(); // a bad option fails here, not later at Build
        return builder.UseFetcher(() => new HttpCandidateFetcher(options, loggerFactory));
    }
}
