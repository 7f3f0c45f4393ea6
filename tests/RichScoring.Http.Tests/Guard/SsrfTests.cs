using System.Net;
using RichScoring.Http.Tests.Fetching;
using RichScoring.Http.Tests.Server;

namespace RichScoring.Http.Tests.Guard;

/// <summary>
/// The SSRF guard end to end against real loopback servers: the test server's own endpoint is allowed, so that a first
/// hop reaches it, while every other non-public target (other ports, other loopback forms, metadata, private ranges)
/// must be refused, whether given directly, reached by a redirect or resolved from a name.
/// </summary>
public sealed class SsrfTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LoopbackServer Server => fixture.Server;

    private HttpCandidateFetcher Fetcher(Action<HttpFetchOptions>? tweak = null) => new(TestOptions.For(Server, tweak));

    [Fact]
    public async Task The_guard_is_on_by_default_and_refuses_loopback()
    {
        using var fetcher = new HttpCandidateFetcher();

        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(Server.Url("/ok/default-guard.jpg"), Ct));

        Assert.Equal("refused: 127.0.0.1 is a loopback address", error.Message);
        Assert.Equal(IPAddress.Loopback, error.Address);
        Assert.Equal(0, Server.Hits("/ok/default-guard.jpg"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address (cloud metadata)")]
    [InlineData("http://10.0.0.1/a.jpg", "refused: 10.0.0.1 is a private address")]
    [InlineData("http://192.168.1.1/a.jpg", "refused: 192.168.1.1 is a private address")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "refused: 100.100.100.200 is a carrier-grade NAT address (100.64.0.0/10)")]
    [InlineData("http://0.0.0.0/a.jpg", "refused: 0.0.0.0 is the unspecified address")]
    [InlineData("http://[::ffff:10.0.0.1]/a.jpg", "refused: ::ffff:10.0.0.1 is an IPv4-mapped address of 10.0.0.1, a private address")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "refused: fd00:ec2::254 is a unique local address (cloud metadata)")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/", "refused: 64:ff9b::a9fe:a9fe is a NAT64 address of 169.254.169.254, a link-local address (cloud metadata)")]
    public async Task Literal_non_public_addresses_are_refused_before_anything_is_sent(string url, string reason)
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri(url), Ct));

        Assert.Equal(reason, error.Message);
        Assert.NotNull(error.Address);
    }

    [Theory]
    [InlineData("http://2130706433/a.jpg")]
    [InlineData("http://0x7f000001/a.jpg")]
    [InlineData("http://127.1/a.jpg")]
    [InlineData("http://0177.0.0.1/a.jpg")]
    public async Task Obfuscated_loopback_forms_are_refused(string url)
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri(url), Ct));

        Assert.Contains("127.0.0.1 is a loopback address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://ftp.example.com/a.jpg", "ftp")]
    [InlineData("gopher://example.com:70/_a", "gopher")]
    public async Task Other_schemes_are_refused(string url, string scheme)
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri(url), Ct));

        Assert.Equal($"refused: the scheme '{scheme}' is not allowed (only http and https)", error.Message);
    }

    [Fact]
    public async Task Redirects_to_private_targets_are_refused_at_their_hop()
    {
        await using var other = new LoopbackServer();
        using var fetcher = Fetcher();
        string[] targets =
        [
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://10.0.0.1/a.jpg",
            $"http://127.0.0.1:{other.Port}/ok/other-port.jpg",
            $"http://[::1]:{Server.Port}/ok/ipv6-loopback.jpg",
            $"http://localhost:{other.Port}/ok/by-name.jpg",
            "file:///etc/passwd",
            "gopher://127.0.0.1:6379/_INFO",
        ];
        string[] expected =
        [
            "refused: 169.254.169.254 is a link-local address (cloud metadata)",
            "refused: 10.0.0.1 is a private address",
            "refused: 127.0.0.1 is a loopback address",
            "refused: ::1 is a loopback address",
            "refused: localhost resolves to ",
            "refused: the scheme 'file' is not allowed (only http and https)",
            "refused: the scheme 'gopher' is not allowed (only http and https)",
        ];

        for (var i = 0; i < targets.Length; i++)
        {
            var path = $"/redirect-to/private-{i}";
            var url = Server.Url($"{path}?url={Uri.EscapeDataString(targets[i])}");

            var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(url, Ct));

            Assert.StartsWith(expected[i], error.Message, StringComparison.Ordinal);
            Assert.Equal(1, Server.Hits(path)); // the first hop was allowed, and the refusal was not retried
        }

        Assert.Equal(0, other.Connections);
        Assert.Equal(0, Server.Hits("/ok/ipv6-loopback.jpg"));
    }

    [Fact]
    public async Task AllowPrivateNetworks_reaches_loopback_but_still_refuses_metadata()
    {
        await using var other = new LoopbackServer();
        var options = new HttpFetchOptions { AllowPrivateNetworks = true };
        using var fetcher = new HttpCandidateFetcher(options);

        var body = await fetcher.FetchAsync(other.Url("/ok/private-allowed.jpg"), Ct);
        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri("http://169.254.169.254/latest/meta-data/"), Ct));

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal("refused: 169.254.169.254 is a link-local address (cloud metadata)", error.Message);
    }

    [Fact]
    public async Task An_allowed_endpoint_with_port_zero_allows_every_port_of_that_address()
    {
        await using var other = new LoopbackServer();
        using var fetcher = new HttpCandidateFetcher(new HttpFetchOptions { AllowedPrivateEndpoints = { new IPEndPoint(IPAddress.Loopback, 0) } });

        var body = await fetcher.FetchAsync(other.Url("/ok/any-port.jpg"), Ct);
        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri("http://127.0.0.2/a.jpg"), Ct));

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal("refused: 127.0.0.2 is a loopback address", error.Message);
    }

    [Fact]
    public async Task A_name_resolving_to_a_private_address_is_refused_at_connect_time()
    {
        var lookups = new List<string>();
        using var fetcher = Fetcher(o => o.Resolver = (host, _) =>
        {
            lock (lookups)
            {
                lookups.Add(host);
            }

            return Task.FromResult(new[] { IPAddress.Parse("10.0.0.1") });
        });

        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(new Uri("http://images.example.test/duck.jpg"), Ct));

        Assert.Equal("refused: images.example.test resolves to 10.0.0.1, a private address", error.Message);
        Assert.Equal(["images.example.test"], lookups); // checked once, never retried
    }

    [Fact]
    public async Task A_name_with_public_and_private_addresses_connects_only_to_an_allowed_one()
    {
        using var fetcher = Fetcher(o => o.Resolver = (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.1"), IPAddress.Loopback }));

        var body = await fetcher.FetchAsync(new Uri($"http://mixed.example.test:{Server.Port}/ok/mixed.jpg"), Ct);

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal(1, Server.Hits("/ok/mixed.jpg"));
    }

    [Fact]
    public async Task Dns_rebinding_is_caught_because_every_connection_is_checked()
    {
        // The name first resolves to the (allowed) test server, then to the metadata address. The server closes each
        // connection, so the second fetch must connect — and resolve — again.
        var lookups = 0;
        using var fetcher = Fetcher(o => o.Resolver = (_, _) =>
            Task.FromResult(Interlocked.Increment(ref lookups) == 1 ? new[] { IPAddress.Loopback } : [IPAddress.Parse("169.254.169.254")]));
        var url = new Uri($"http://rebind.example.test:{Server.Port}/close/rebind.jpg");

        var first = await fetcher.FetchAsync(url, Ct);
        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(url, Ct));

        Assert.Equal(TestImages.Jpeg, first.ToArray());
        Assert.Equal("refused: rebind.example.test resolves to 169.254.169.254, a link-local address (cloud metadata)", error.Message);
        Assert.Equal(1, Server.Hits("/close/rebind.jpg"));
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task A_redirect_to_a_name_that_resolves_privately_is_refused()
    {
        using var fetcher = Fetcher(o => o.Resolver = (host, _) =>
            Task.FromResult(host == "internal.example.test" ? new[] { IPAddress.Parse("192.168.0.10") } : [IPAddress.Loopback]));
        var url = Server.Url("/redirect-to/to-name?url=" + Uri.EscapeDataString("http://internal.example.test/admin.jpg"));

        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(url, Ct));

        Assert.Equal("refused: internal.example.test resolves to 192.168.0.10, a private address", error.Message);
    }
}
