namespace RichScoring.Http;

/// <summary>Settings of the Openverse image search (a keyless API over openly licensed images).</summary>
public sealed class OpenverseOptions
{
    /// <summary>The API's address. Default <c>https://api.openverse.org</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.openverse.org");

    /// <summary>How many results a search returns at most (the top N), fetched page by page. Default 20.</summary>
    public int Count { get; set; } = 20;

    /// <summary>Results per request; anonymous use allows at most 20. Default 20.</summary>
    public int PageSize { get; set; } = 20;

    /// <summary>
    /// Fetch each result's thumbnail (a small preview Openverse serves) instead of the full image: far fewer bytes,
    /// enough for scoring. The full image's address stays in the candidate's metadata. Default false.
    /// </summary>
    public bool UseThumbnails { get; set; }

    /// <summary>
    /// Extra query parameters passed to the search as they are, for Openverse's filters: for example
    /// <c>license_type=commercial</c>, <c>license=by,by-sa</c>, <c>source=wikimedia</c>, <c>aspect_ratio=wide</c>.
    /// </summary>
    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The User-Agent header of the API requests. Default <see cref="HttpFetchOptions.DefaultUserAgent"/>.</summary>
    public string UserAgent { get; set; } = HttpFetchOptions.DefaultUserAgent;

    /// <summary>Time limit of one page request, retries included (429 and 5xx are retried, honouring Retry-After). Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Test hook: the first wait before a retry (default 1 s, the anonymous rate limit).</summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(BaseUrl)} must be an absolute http or https URL, got '{BaseUrl}'.");
        }

        if (Count < 1 || Count > 10_000)
        {
            throw new ArgumentException($"{nameof(Count)} must be between 1 and 10000, got {Count}.");
        }

        if (PageSize < 1 || PageSize > 20)
        {
            throw new ArgumentException($"{nameof(PageSize)} must be between 1 and 20 (the anonymous limit), got {PageSize}.");
        }

        if (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromHours(24))
        {
            throw new ArgumentException($"{nameof(Timeout)} must be between 10 ms and 24 h, got {Timeout}.");
        }

        using (var probe = new HttpRequestMessage())
        {
            if (string.IsNullOrWhiteSpace(UserAgent) || !probe.Headers.UserAgent.TryParseAdd(UserAgent))
            {
                throw new ArgumentException($"{nameof(UserAgent)} must be a valid User-Agent header value, got '{UserAgent}'.");
            }
        }

        foreach (var (key, _) in Parameters)
        {
            if (string.IsNullOrWhiteSpace(key) || key is "q" or "page" or "page_size")
            {
                throw new ArgumentException($"{nameof(Parameters)} may not set '{key}': the search sets it.");
            }
        }
    }

    internal OpenverseOptions Clone()
    {
        var copy = new OpenverseOptions
        {
            BaseUrl = BaseUrl,
            Count = Count,
            PageSize = PageSize,
            UseThumbnails = UseThumbnails,
            UserAgent = UserAgent,
            Timeout = Timeout,
            RetryBaseDelay = RetryBaseDelay,
        };
        foreach (var (key, value) in Parameters)
        {
            copy.Parameters[key] = value;
        }

        return copy;
    }
}
