using Microsoft.Extensions.DependencyInjection;
using RichScoring.Http.Tests.Fakes;
using RichScoring.Http.Tests.Fetching;
using RichScoring.Http.Tests.Openverse;
using RichScoring.Http.Tests.Server;

namespace RichScoring.Http.Tests;

/// <summary><c>services.AddRichScoringHttp()</c>: the fetcher and the Openverse factory over the client factory's named clients.</summary>
public sealed class DependencyInjectionTests(OpenverseFixture fixture) : IClassFixture<OpenverseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LoopbackServer Server => fixture.Server;

    [Fact]
    public async Task The_registered_fetcher_is_guarded_by_default()
    {
        await using var services = new ServiceCollection().AddRichScoringHttp().BuildServiceProvider();

        var fetcher = services.GetRequiredService<ICandidateFetcher>();
        var error = await Assert.ThrowsAsync<FetchRefusedException>(() => fetcher.FetchAsync(Server.Url("/ok/di-default.jpg"), Ct));

        Assert.IsType<HttpCandidateFetcher>(fetcher);
        Assert.Same(fetcher, services.GetRequiredService<ICandidateFetcher>());
        Assert.Equal("refused: 127.0.0.1 is a loopback address", error.Message);
        Assert.Equal(0, Server.Hits("/ok/di-default.jpg"));
    }

    [Fact]
    public async Task The_registered_fetcher_uses_the_configured_options_and_resilience()
    {
        await using var services = new ServiceCollection()
            .AddRichScoringHttp(o =>
            {
                o.AllowedPrivateEndpoints.Add(Server.EndPoint);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxRetries = 2;
                o.MaxBodyBytes = 64 * 1024;
            })
            .BuildServiceProvider();
        var fetcher = services.GetRequiredService<ICandidateFetcher>();

        var body = await fetcher.FetchAsync(Server.Url("/flaky/503/2/di-flaky.jpg"), Ct);
        var tooLarge = await Assert.ThrowsAsync<InvalidImageException>(() => fetcher.FetchAsync(Server.Url("/big-chunked/di-big.jpg?bytes=70000"), Ct));
        var html = await Assert.ThrowsAsync<InvalidImageException>(() => fetcher.FetchAsync(Server.Url("/html/di.jpg"), Ct));
        var redirect = await Assert.ThrowsAsync<FetchRefusedException>(() =>
            fetcher.FetchAsync(Server.Url("/redirect-to/di?url=" + Uri.EscapeDataString("http://169.254.169.254/")), Ct));

        Assert.Equal(TestImages.Jpeg, body.ToArray());
        Assert.Equal(3, Server.Hits("/flaky/503/2/di-flaky.jpg"));
        Assert.Equal("the response is larger than the 64 KB limit", tooLarge.Message);
        Assert.Equal("not an image: HTML document", html.Message);
        Assert.Equal("refused: 169.254.169.254 is a link-local address (cloud metadata)", redirect.Message);
    }

    [Fact]
    public async Task A_pipeline_registered_with_AddRichScoring_fetches_through_the_registered_fetcher()
    {
        await using var services = new ServiceCollection()
            .AddRichScoringHttp(o => o.AllowedPrivateEndpoints.Add(Server.EndPoint))
            .AddRichScoring(b => Fakes.FakeEncoders.Configure(b))
            .BuildServiceProvider();
        var pipeline = services.GetRequiredService<ScoringPipeline>();

        var result = await pipeline.ScoreAsync(
            [Candidate.FromUrl(Server.Url("/ok/di-pipeline.jpg")), Candidate.FromUrl(new Uri("http://169.254.169.254/latest/meta-data/"))],
            cancellationToken: Ct);

        Assert.Equal(CandidateStatus.Ranked, result.Outcomes[0].Status);
        Assert.Equal(1, Server.Hits("/ok/di-pipeline.jpg"));
        Assert.Equal("refused: 169.254.169.254 is a link-local address (cloud metadata)", result.Outcomes[1].Reason);
    }

    [Fact]
    public async Task The_openverse_factory_reads_its_options_from_the_container()
    {
        await using var services = new ServiceCollection()
            .AddRichScoringHttp()
            .Configure<OpenverseOptions>(o =>
            {
                o.BaseUrl = fixture.BaseUrl("di");
                o.Count = 7;
            })
            .BuildServiceProvider();

        var factory = services.GetRequiredService<OpenverseSourceFactory>();
        var candidates = await factory.Create("duck").GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(7, candidates.Count);
        Assert.Equal("7", Assert.Single(fixture.Requests("di"))["page_size"]);
    }

    [Fact]
    public async Task A_pipeline_registered_with_its_own_fetcher_makes_it_once_at_resolution_and_disposes_it_with_the_container()
    {
        var made = new List<HttpCandidateFetcher>();
        var services = new ServiceCollection()
            .AddRichScoring(b => FakeEncoders.Configure(b).UseFetcher(() =>
            {
                var fetcher = new HttpCandidateFetcher(TestOptions.For(Server));
                made.Add(fetcher);
                return fetcher;
            }))
            .BuildServiceProvider();

        Assert.Empty(made); // registration validates the settings on a throwaway builder: no connection pool is made
        var pipeline = services.GetRequiredService<ScoringPipeline>();
        var result = await pipeline.ScoreAsync([Candidate.FromUrl(Server.Url("/ok/di-owned.png"), "web")], cancellationToken: Ct);
        Assert.Equal(CandidateStatus.Ranked, Assert.Single(result.Outcomes).Status);
        var fetcher = Assert.Single(made);

        await services.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => fetcher.FetchAsync(Server.Url("/ok/di-owned.png"), Ct));
    }
}
