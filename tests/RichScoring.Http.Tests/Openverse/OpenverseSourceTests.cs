using System.Net;
using RichScoring.Http.Tests.Fakes;
using RichScoring.Http.Tests.Fetching;

namespace RichScoring.Http.Tests.Openverse;

/// <summary>The Openverse source against a loopback server that answers in Openverse's format.</summary>
public sealed class OpenverseSourceTests(OpenverseFixture fixture) : IClassFixture<OpenverseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OpenverseSourceFactory Factory(string scenario, Action<OpenverseOptions>? tweak = null)
    {
        var options = new OpenverseOptions { BaseUrl = fixture.BaseUrl(scenario), RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        tweak?.Invoke(options);
        return new OpenverseSourceFactory(options);
    }

    [Fact]
    public async Task Results_carry_size_domain_licence_creator_and_links()
    {
        using var factory = Factory("fields");

        var candidates = await factory.Create("duck", 2).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(2, candidates.Count);
        var first = candidates[0];
        Assert.Equal("openverse:" + OpenverseFixture.Id(1), first.Id);
        Assert.Equal(fixture.Server.Url("/ok/fields-1.jpg"), first.Source);
        var m = first.Metadata;
        Assert.Equal(640, m.Width);
        Assert.Equal(480, m.Height);
        Assert.Equal("127.0.0.1", m.SourceDomain);
        Assert.Equal("Duck 1", m.Title);
        Assert.Equal("CC BY-SA 2.0", m.License);
        Assert.Equal(new Uri("https://creativecommons.org/licenses/by-sa/2.0/"), m.LicenseUrl);
        Assert.Equal("Photographer 1", m.Creator);
        Assert.Equal(new Uri("https://www.flickr.com/photos/someone"), m.CreatorUrl);
        Assert.Equal(new Uri("https://www.flickr.com/photos/someone/1"), m.LandingPage);
        Assert.Equal(fixture.Server.Url("/ok/fields-1-thumb.jpg"), m.ThumbnailUrl);
        Assert.Equal(first.Source, m.Source);
    }

    [Fact]
    public async Task The_search_request_has_the_query_page_size_page_and_filters()
    {
        using var factory = Factory("request", o => o.Parameters["license_type"] = "commercial");

        _ = await factory.Create("rubber duck", 5).GetCandidatesAsync(Ct).ToListAsync(Ct);

        var request = Assert.Single(fixture.Requests("request"));
        Assert.Equal("rubber duck", request["q"]);
        Assert.Equal("5", request["page_size"]);
        Assert.Equal("1", request["page"]);
        Assert.Equal("commercial", request["license_type"]);
    }

    [Fact]
    public async Task More_than_a_page_is_fetched_page_by_page_up_to_the_count()
    {
        using var factory = Factory("paging");

        var candidates = await factory.Create("duck", 45).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(Enumerable.Range(1, 45).Select(n => "openverse:" + OpenverseFixture.Id(n)), candidates.Select(c => c.Id));
        Assert.Equal(["1", "2", "3"], fixture.Requests("paging").Select(r => r["page"]));
        Assert.All(fixture.Requests("paging"), r => Assert.Equal("20", r["page_size"]));
    }

    [Fact]
    public async Task Paging_stops_when_the_results_run_out()
    {
        using var factory = Factory("few-results");

        var candidates = await factory.Create("duck", 60).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(OpenverseFixture.TotalFor("few-results"), candidates.Count);
        Assert.Equal(2, fixture.Requests("few-results").Count);
    }

    [Fact]
    public async Task Thumbnails_are_fetched_instead_of_full_images_when_asked()
    {
        using var factory = Factory("thumbs", o => o.UseThumbnails = true);

        var candidate = Assert.Single(await factory.Create("duck", 1).GetCandidatesAsync(Ct).ToListAsync(Ct));

        Assert.Equal(fixture.Server.Url("/ok/thumbs-1-thumb.jpg"), candidate.Source);
        Assert.Equal(candidate.Source, candidate.Metadata.ThumbnailUrl);
        Assert.Null(candidate.Metadata.Width); // the thumbnail's size is read from the thumbnail itself
        Assert.Equal("127.0.0.1", candidate.Metadata.SourceDomain);
    }

    [Fact]
    public async Task Unusable_results_are_skipped_and_repeats_dropped()
    {
        using var factory = Factory("odd");

        var candidates = await factory.Create("duck", 20).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(["openverse:" + OpenverseFixture.Id(1), "openverse:bare"], candidates.Select(c => c.Id));
        var bare = candidates[1].Metadata;
        Assert.Null(bare.Title);
        Assert.Null(bare.License);
        Assert.Null(bare.Width);
        Assert.Null(bare.CreatorUrl);
        Assert.Equal(new Uri(fixture.BaseUrl("odd") + "/v1/images/bare/thumb/"), bare.ThumbnailUrl);
    }

    [Fact]
    public async Task Malformed_json_is_a_clear_error()
    {
        using var factory = Factory("malformed");

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await factory.Create("duck").GetCandidatesAsync(Ct).ToListAsync(Ct));

        Assert.StartsWith("Openverse returned malformed JSON for page 1 of 'duck': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_without_results_is_a_clear_error()
    {
        using var factory = Factory("no-results");

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await factory.Create("duck").GetCandidatesAsync(Ct).ToListAsync(Ct));

        Assert.Equal("Openverse returned an unexpected response for page 1 of 'duck': no \"results\" array.", error.Message);
    }

    [Fact]
    public async Task A_429_is_retried()
    {
        using var factory = Factory("throttled");

        var candidates = await factory.Create("duck", 3).GetCandidatesAsync(Ct).ToListAsync(Ct);

        Assert.Equal(3, candidates.Count);
        Assert.Equal(2, fixture.Requests("throttled").Count);
    }

    [Fact]
    public async Task A_lasting_500_fails_after_the_retries_naming_the_page_and_query()
    {
        using var factory = Factory("broken");

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () => await factory.Create("duck").GetCandidatesAsync(Ct).ToListAsync(Ct));

        Assert.Equal("Openverse search failed: HTTP 500 Internal Server Error for page 1 of 'duck'", error.Message);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(4, fixture.Requests("broken").Count);
    }

    [Fact]
    public async Task A_401_is_not_retried_and_explains_the_page_size_limit()
    {
        using var factory = Factory("unauthorized");

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () => await factory.Create("duck").GetCandidatesAsync(Ct).ToListAsync(Ct));

        Assert.EndsWith("(anonymous use allows at most 20 results a page)", error.Message, StringComparison.Ordinal);
        Assert.Single(fixture.Requests("unauthorized"));
    }

    [Theory]
    [InlineData("by-sa", "2.0", "CC BY-SA 2.0")]
    [InlineData("by", "4.0", "CC BY 4.0")]
    [InlineData("cc0", "1.0", "CC0 1.0")]
    [InlineData("pdm", "1.0", "Public Domain Mark 1.0")]
    [InlineData("by-nc-nd", null, "CC BY-NC-ND")]
    [InlineData(null, "1.0", null)]
    public void Licences_are_written_in_their_usual_short_form(string? code, string? version, string? expected) =>
        Assert.Equal(expected, OpenverseCandidateSource.License(code, version));

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new OpenverseSourceFactory(new OpenverseOptions { PageSize = 21 }));
        Assert.Throws<ArgumentException>(() => new OpenverseSourceFactory(new OpenverseOptions { BaseUrl = new Uri("ftp://example.com") }));
        Assert.Throws<ArgumentException>(() => new OpenverseSourceFactory(new OpenverseOptions { Count = 0 }));
        var withPage = new OpenverseOptions();
        withPage.Parameters["page"] = "3";
        Assert.Throws<ArgumentException>(() => new OpenverseSourceFactory(withPage));
        using var factory = new OpenverseSourceFactory();
        Assert.Throws<ArgumentException>(() => factory.Create("duck", 0));
    }

    [Fact]
    public async Task Openverse_results_flow_through_the_fetcher_and_the_pipeline_with_their_licences()
    {
        using var factory = Factory("e2e");
        using var fetcher = new HttpCandidateFetcher(TestOptions.For(fixture.Server));
        using var pipeline = FakeEncoders.Builder().UseFetcher(fetcher).Build();

        var candidates = await factory.Create("duck", 30).GetCandidatesAsync(Ct).ToListAsync(Ct);
        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        Assert.Equal(30, result.Outcomes.Count);
        Assert.All(result.Outcomes, o => Assert.Equal(CandidateStatus.Ranked, o.Status));
        Assert.All(result.Outcomes, o => Assert.Equal("CC BY-SA 2.0", o.Metadata!.License));
        Assert.All(result.Outcomes, o => Assert.Equal(320, o.Metadata!.Width)); // what was fetched, not what the search said
    }
}
