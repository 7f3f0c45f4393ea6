using System.Net;

namespace RichScoring.Http.Tests.Fetching;

/// <summary>Options are checked when a fetcher is made, with messages naming the setting.</summary>
public sealed class HttpFetchOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones_and_valid()
    {
        var options = new HttpFetchOptions();

        options.Validate();
        Assert.Equal(20L * 1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(3, options.MaxRedirects);
        Assert.Equal(8, options.MaxConcurrency);
        Assert.False(options.AllowPrivateNetworks);
        Assert.Empty(options.AllowedPrivateEndpoints);
        Assert.StartsWith("RichScoring/", options.UserAgent, StringComparison.Ordinal);
    }

    public static TheoryData<Action<HttpFetchOptions>, string> BadOptions => new()
    {
        { o => o.MaxBodyBytes = 0, nameof(HttpFetchOptions.MaxBodyBytes) },
        { o => o.MaxRedirects = -1, nameof(HttpFetchOptions.MaxRedirects) },
        { o => o.MaxConcurrency = 0, nameof(HttpFetchOptions.MaxConcurrency) },
        { o => o.MaxRetries = -1, nameof(HttpFetchOptions.MaxRetries) },
        { o => o.AttemptTimeout = TimeSpan.Zero, nameof(HttpFetchOptions.AttemptTimeout) },
        { o => o.TotalTimeout = TimeSpan.FromMilliseconds(5), nameof(HttpFetchOptions.TotalTimeout) },
        { o => (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), nameof(HttpFetchOptions.TotalTimeout) },
        { o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1), nameof(HttpFetchOptions.RetryBaseDelay) },
        { o => o.UserAgent = "", nameof(HttpFetchOptions.UserAgent) },
        { o => o.UserAgent = "bad\r\nX-Injected: 1", nameof(HttpFetchOptions.UserAgent) },
        { o => o.AllowedPrivateEndpoints.Add(null!), nameof(HttpFetchOptions.AllowedPrivateEndpoints) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_setting_fails_the_fetcher_construction_naming_it(Action<HttpFetchOptions> spoil, string name)
    {
        var options = new HttpFetchOptions();
        spoil(options);

        var error = Assert.Throws<ArgumentException>(() => new HttpCandidateFetcher(options));

        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fetcher_keeps_a_copy_of_its_options()
    {
        var options = new HttpFetchOptions();
        using var fetcher = new HttpCandidateFetcher(options);

        options.AllowPrivateNetworks = true;
        options.AllowedPrivateEndpoints.Add(new IPEndPoint(IPAddress.Loopback, 0));

        await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri("http://127.0.0.1:9/a.jpg"), TestContext.Current.CancellationToken));
    }
}
