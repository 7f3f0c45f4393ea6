using RichScoring.Http.Tests.Server;

namespace RichScoring.Http.Tests.Fetching;

/// <summary>Fetch options for tests: short limits, quick retries, and only the test server's own endpoint let through the guard.</summary>
internal static class TestOptions
{
    public static HttpFetchOptions For(LoopbackServer server, Action<HttpFetchOptions>? tweak = null)
    {
        var options = new HttpFetchOptions
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(700),
            TotalTimeout = TimeSpan.FromSeconds(3),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetries = 2,
        };
        options.AllowedPrivateEndpoints.Add(server.EndPoint);
        tweak?.Invoke(options);
        return options;
    }
}
