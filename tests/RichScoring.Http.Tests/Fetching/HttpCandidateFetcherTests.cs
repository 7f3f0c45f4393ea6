using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RichScoring.Http.Tests.Server;

namespace RichScoring.Http.Tests.Fetching;

/// <summary>The fetcher against a real loopback server: content, statuses, retries, time limits, redirects and size limits.</summary>
public sealed class HttpCandidateFetcherTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LoopbackServer Server => fixture.Server;

    private HttpCandidateFetcher Fetcher(Action<HttpFetchOptions>? tweak = null) => new(TestOptions.For(Server, tweak));

    [Fact]
    public async Task Good_images_arrive_byte_for_byte()
    {
        using var fetcher = Fetcher();

        var jpeg = await fetcher.FetchAsync(Server.Url("/ok/good-1.jpg"), Ct);
        var png = await fetcher.FetchAsync(Server.Url("/ok/good-1.png"), Ct);

        Assert.Equal(TestImages.Jpeg, jpeg.ToArray());
        Assert.Equal(TestImages.Png, png.ToArray());
    }

    [Fact]
    public async Task A_jpeg_served_as_text_plain_is_accepted_by_its_bytes()
    {
        using var fetcher = Fetcher();

        var body = await fetcher.FetchAsync(Server.Url("/lying/photo.jpg"), Ct);

        Assert.Equal(TestImages.Jpeg, body.ToArray());
    }

    [Theory]
    [InlineData("/html/page.jpg", "not an image: HTML document")]
    [InlineData("/json/error.png", "not an image: JSON")]
    [InlineData("/empty/nothing.jpg", "empty: the response has no body")]
    public async Task What_is_not_an_image_fails_whatever_its_content_type_and_is_not_retried(string path, string reason)
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<InvalidImageException>(() => fetcher.FetchAsync(Server.Url(path), Ct));

        Assert.Equal(reason, error.Message);
        Assert.Equal(1, Server.Hits(path));
    }

    [Fact]
    public async Task A_404_fails_at_once_without_retries()
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url("/status/404/missing.jpg"), Ct));

        Assert.Equal("HTTP 404 Not Found", error.Message);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, Server.Hits("/status/404/missing.jpg"));
    }

    [Fact]
    public async Task A_lasting_500_is_retried_then_fails_naming_the_tries()
    {
        using var fetcher = Fetcher(o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url("/status/500/broken.jpg"), Ct));

        Assert.Equal("HTTP 500 Internal Server Error (3 tries)", error.Message);
        Assert.Equal(3, Server.Hits("/status/500/broken.jpg"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task Transient_statuses_are_retried_until_the_image_comes(int status)
    {
        using var fetcher = Fetcher(o => o.MaxRetries = 3);
        var path = $"/flaky/{status}/2/recovers.jpg";

        var body = await fetcher.FetchAsync(Server.Url(path), Ct);

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal(3, Server.Hits(path));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Other_client_errors_are_not_retried(int status)
    {
        using var fetcher = Fetcher(o => o.MaxRetries = 3);
        var path = $"/flaky/{status}/1/client-error.jpg";

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url(path), Ct));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(1, Server.Hits(path));
    }

    [Fact]
    public async Task A_connection_reset_is_retried()
    {
        using var fetcher = Fetcher();

        var body = await fetcher.FetchAsync(Server.Url("/reset-first/once.jpg"), Ct);

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal(2, Server.Hits("/reset-first/once.jpg"));
    }

    [Fact]
    public async Task Lasting_resets_fail_as_a_connection_failure_after_the_retries()
    {
        using var fetcher = Fetcher(o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url("/reset/always.jpg"), Ct));

        Assert.StartsWith("connection failed: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(3 tries)", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
        Assert.Equal(3, Server.Hits("/reset/always.jpg"));
    }

    [Fact]
    public async Task A_slow_first_answer_times_out_and_the_retry_succeeds()
    {
        using var fetcher = Fetcher(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));

        var body = await fetcher.FetchAsync(Server.Url("/slow-first/late.jpg?ms=3000"), Ct);

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal(2, Server.Hits("/slow-first/late.jpg"));
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_within_the_total_limit_after_retries()
    {
        using var fetcher = Fetcher(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 5;
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => fetcher.FetchAsync(Server.Url("/slow/never.jpg?ms=60000"), Ct));

        clock.Stop();
        Assert.StartsWith("timed out: the ", error.Message, StringComparison.Ordinal);
        Assert.True(Server.Hits("/slow/never.jpg") >= 2, $"{Server.Hits("/slow/never.jpg")} tries");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(3), $"took {clock.Elapsed}"); // a bound with slack, not a speed test
    }

    [Fact]
    public async Task The_per_try_limit_covers_a_body_that_trickles_in()
    {
        using var fetcher = Fetcher(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(400);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 1;
        });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => fetcher.FetchAsync(Server.Url("/trickle/slow-body.jpg?ms=50"), Ct));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Server.Hits("/trickle/slow-body.jpg"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Up_to_three_redirects_are_followed(int redirects)
    {
        using var fetcher = Fetcher();

        var body = await fetcher.FetchAsync(Server.Url($"/redirect/{redirects}/chain-ok-{redirects}.jpg"), Ct);

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        for (var n = redirects; n >= 0; n--)
        {
            Assert.Equal(1, Server.Hits($"/redirect/{n}/chain-ok-{redirects}.jpg"));
        }
    }

    [Fact]
    public async Task A_fourth_redirect_is_refused_before_it_is_followed()
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url("/redirect/4/chain-long.jpg"), Ct));

        Assert.StartsWith("too many redirects: more than 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Server.Hits("/redirect/1/chain-long.jpg"));
        Assert.Equal(0, Server.Hits("/redirect/0/chain-long.jpg"));
    }

    [Fact]
    public async Task The_redirect_limit_is_an_option()
    {
        using var fetcher = Fetcher(o => o.MaxRedirects = 0);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url("/redirect/1/no-redirects.jpg"), Ct));

        Assert.StartsWith("too many redirects: more than 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_without_a_location_fails()
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(Server.Url("/no-location/x.jpg"), Ct));

        Assert.Equal("HTTP 302 Found: a redirect without a Location header", error.Message);
    }

    [Fact]
    public async Task A_body_declared_over_the_limit_fails_at_once_and_is_not_retried()
    {
        using var fetcher = Fetcher(o => o.MaxBodyBytes = 20L * 1024 * 1024);
        var size = (21 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var error = await Assert.ThrowsAsync<InvalidImageException>(() => fetcher.FetchAsync(Server.Url($"/big/declared.jpg?bytes={size}"), Ct));

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
        Assert.Equal($"the response is larger than the 20 MB limit (Content-Length {size})", error.Message);
        Assert.Equal(1, Server.Hits("/big/declared.jpg"));
    }

    [Fact]
    public async Task A_body_without_a_length_is_counted_while_it_streams()
    {
        using var fetcher = Fetcher(o => o.MaxBodyBytes = 64 * 1024);

        var under = await fetcher.FetchAsync(Server.Url("/big-chunked/under.jpg?bytes=65536"), Ct);
        var error = await Assert.ThrowsAsync<InvalidImageException>(() => fetcher.FetchAsync(Server.Url("/big-chunked/over.jpg?bytes=65537"), Ct));

        Assert.Equal(65536, under.Length);
        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
        Assert.Equal("the response is larger than the 64 KB limit", error.Message);
    }

    [Fact]
    public async Task An_endless_body_stops_at_the_default_limit()
    {
        using var fetcher = new HttpCandidateFetcher(TestOptions.For(Server, o => o.TotalTimeout = o.AttemptTimeout = TimeSpan.FromSeconds(20)));

        var error = await Assert.ThrowsAsync<InvalidImageException>(() => fetcher.FetchAsync(Server.Url("/endless/forever.jpg"), Ct));

        Assert.Equal(ImageErrorKind.TooLarge, error.Kind);
        Assert.Equal("the response is larger than the 20 MB limit", error.Message);
        Assert.Equal(1, Server.Hits("/endless/forever.jpg"));
    }

    [Fact]
    public async Task The_user_agent_is_sent_and_configurable()
    {
        var seen = new ConcurrentQueue<string>();
        Server.Map("/ua/", x =>
        {
            seen.Enqueue(x.Headers.GetValueOrDefault("User-Agent", "(none)"));
            return x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        using var byDefault = Fetcher();
        using var custom = Fetcher(o => o.UserAgent = "DuckFinder/2.0 (+https://duckfinder.invalid/bot)");

        await byDefault.FetchAsync(Server.Url("/ua/default.jpg"), Ct);
        await custom.FetchAsync(Server.Url("/ua/custom.jpg"), Ct);

        Assert.Equal([HttpFetchOptions.DefaultUserAgent, "DuckFinder/2.0 (+https://duckfinder.invalid/bot)"], seen);
        Assert.Matches(@"^RichScoring/\d+\.\d+", HttpFetchOptions.DefaultUserAgent);
    }

    [Fact]
    public async Task No_more_than_MaxConcurrency_fetches_are_in_flight()
    {
        var current = 0;
        var peak = 0;
        Server.Map("/concurrency/", async x =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref peak, now);
            await Task.Delay(150, x.Stopping);
            Interlocked.Decrement(ref current);
            await x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        using var fetcher = Fetcher(o => o.MaxConcurrency = 3);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => fetcher.FetchAsync(Server.Url($"/concurrency/{i}.jpg"), Ct)));

        Assert.InRange(peak, 1, 3);
        Assert.Equal(12, Enumerable.Range(0, 12).Sum(i => Server.Hits($"/concurrency/{i}.jpg")));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_timeout()
    {
        using var fetcher = Fetcher(o => o.TotalTimeout = o.AttemptTimeout = TimeSpan.FromSeconds(20));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(200);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher.FetchAsync(Server.Url("/slow/cancelled.jpg?ms=10000"), cts.Token));
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_fails_once_without_retries()
    {
        var lookups = 0;
        using var fetcher = Fetcher(o => o.Resolver = (_, _) =>
        {
            Interlocked.Increment(ref lookups);
            throw new SocketException((int)SocketError.HostNotFound);
        });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.FetchAsync(new Uri("http://no-such-host.invalid/a.jpg"), Ct));

        Assert.Equal("the host name 'no-such-host.invalid' could not be resolved", error.Message);
        Assert.Equal(HttpRequestError.NameResolutionError, error.HttpRequestError);
        Assert.Equal(1, lookups);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
