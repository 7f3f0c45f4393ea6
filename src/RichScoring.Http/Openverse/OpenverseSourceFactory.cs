using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring.Http;

/// <summary>
/// Creates Openverse searches as candidate sources. One factory serves the whole application: it holds the API
/// client (its own, or the client factory's named client when registered by <c>services.AddRichScoringHttp()</c>).
/// </summary>
/// <example>
/// <code>
/// using var openverse = new OpenverseSourceFactory(new OpenverseOptions { Count = 40, UseThumbnails = true });
/// var candidates = await openverse.Create("duck").GetCandidatesAsync().ToListAsync();
/// var result = await pipeline.ScoreAsync(candidates);
/// </code>
/// </example>
public sealed class OpenverseSourceFactory : IDisposable
{
    private readonly Func<HttpClient> _client;
    private readonly HttpClient? _owned;
    private readonly OpenverseOptions _options;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates a factory with its own API client (for use without dependency injection).</summary>
    /// <param name="options">The API's address, result count, page size and filters; defaults when null.</param>
    /// <param name="loggerFactory">Where pages and skipped results are logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public OpenverseSourceFactory(OpenverseOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(options ?? new OpenverseOptions(), loggerFactory, null)
    {
    }

    internal OpenverseSourceFactory(OpenverseOptions options, ILoggerFactory? loggerFactory, Func<HttpClient>? clients)
    {
        options.Validate();
        _options = options.Clone();
        if (clients is null)
        {
            _owned = OpenverseHttp.CreateClient(_options);
            _client = () => _owned;
        }
        else
        {
            _client = clients;
        }

        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>A search for <paramref name="query"/>, listed when enumerated (each enumeration asks the API again).</summary>
    /// <param name="query">The search words, for example <c>duck</c>.</param>
    /// <param name="count">How many results at most; <see cref="OpenverseOptions.Count"/> when null.</param>
    /// <returns>
    /// A source whose enumeration throws <see cref="HttpRequestException"/> when the API fails (after retries) and
    /// <see cref="InvalidDataException"/> when it answers something other than its JSON.
    /// </returns>
    public ICandidateSource Create(string query, int? count = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var options = _options;
        if (count is { } n)
        {
            options = _options.Clone();
            options.Count = n;
            options.Validate();
        }

        return new OpenverseCandidateSource(_client, query.Trim(), options, _loggerFactory.CreateLogger<OpenverseSourceFactory>());
    }

    /// <summary>Releases the API client, when the factory created its own.</summary>
    public void Dispose() => _owned?.Dispose();
}
