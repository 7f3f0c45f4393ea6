using System.Diagnostics;
using RichScoring.Http.Tests.Fakes;
using RichScoring.Http.Tests.Server;

namespace RichScoring.Http.Tests.Fetching;

/// <summary>
/// Web candidates through the real <see cref="ScoringPipeline"/>: every fault the loopback server can produce ends as
/// that candidate's outcome with its reason, no candidate is lost, nothing throws, and the run stays within the
/// configured time limits.
/// </summary>
public sealed class PipelineAcquisitionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LoopbackServer Server => fixture.Server;

    [Fact]
    public async Task Every_web_candidate_gets_the_right_outcome_and_none_is_lost()
    {
        var options = TestOptions.For(Server, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
            o.MaxBodyBytes = 1024 * 1024;
        });
        using var fetcher = new HttpCandidateFetcher(options);
        using var pipeline = FakeEncoders.Builder().UseFetcher(fetcher).Build();
        string Url(string path) => Server.Url(path).ToString();
        (string Id, string Url, CandidateStatus Status, string? Reason)[] cases =
        [
            ("jpeg", Url("/ok/e2e-a.jpg"), CandidateStatus.Ranked, null),
            ("png", Url("/ok/e2e-b.png"), CandidateStatus.Ranked, null),
            ("lying-type", Url("/lying/e2e-c.jpg"), CandidateStatus.Ranked, null),
            ("flaky-500", Url("/flaky/500/1/e2e-d.jpg"), CandidateStatus.Ranked, null),
            ("reset-once", Url("/reset-first/e2e-e.jpg"), CandidateStatus.Ranked, null),
            ("slow-once", Url("/slow-first/e2e-f.jpg?ms=5000"), CandidateStatus.Ranked, null),
            ("three-redirects", Url("/redirect/3/e2e-g.jpg"), CandidateStatus.Ranked, null),
            ("html", Url("/html/e2e-h.jpg"), CandidateStatus.Failed, "not an image: HTML document"),
            ("json", Url("/json/e2e-i.png"), CandidateStatus.Failed, "not an image: JSON"),
            ("missing", Url("/status/404/e2e-j.jpg"), CandidateStatus.Failed, "HTTP 404 Not Found"),
            ("broken", Url("/status/500/e2e-k.jpg"), CandidateStatus.Failed, "HTTP 500 Internal Server Error (3 tries)"),
            ("reset", Url("/reset/e2e-l.jpg"), CandidateStatus.Failed, "connection failed: "),
            ("slow", Url("/slow/e2e-m.jpg?ms=60000"), CandidateStatus.Failed, "timed out: "),
            ("four-redirects", Url("/redirect/4/e2e-n.jpg"), CandidateStatus.Failed, "too many redirects: more than 3"),
            ("oversize", Url("/big/e2e-o.jpg?bytes=2000000"), CandidateStatus.Failed, "the response is larger than the 1 MB limit (Content-Length 2000000)"),
            ("endless", Url("/endless/e2e-p.jpg"), CandidateStatus.Failed, "the response is larger than the 1 MB limit"),
            ("empty", Url("/empty/e2e-q.jpg"), CandidateStatus.Failed, "empty: the response has no body"),
            ("to-metadata", Url("/redirect-to/e2e-r?url=" + Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/")), CandidateStatus.Failed,
                "refused: 169.254.169.254 is a link-local address (cloud metadata)"),
            ("to-private", Url("/redirect-to/e2e-s?url=" + Uri.EscapeDataString("http://10.0.0.1/a.jpg")), CandidateStatus.Failed,
                "refused: 10.0.0.1 is a private address"),
            ("to-ipv6-loopback", Url("/redirect-to/e2e-t?url=" + Uri.EscapeDataString($"http://[::1]:{Server.Port}/ok/a.jpg")), CandidateStatus.Failed,
                "refused: ::1 is a loopback address"),
            ("metadata", "http://169.254.169.254/latest/meta-data/", CandidateStatus.Failed,
                "refused: 169.254.169.254 is a link-local address (cloud metadata)"),
            ("file-scheme", "file:///etc/passwd", CandidateStatus.Failed, "unsupported source"),
            ("gopher", "gopher://127.0.0.1:6379/_INFO", CandidateStatus.Failed, "unsupported source"),
        ];
        var candidates = cases.Select(c => Candidate.FromUrl(new Uri(c.Url), c.Id)).ToList();
        var clock = Stopwatch.StartNew();

        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        clock.Stop();
        Assert.Equal(cases.Length, result.Outcomes.Count);
        Assert.Equal(cases.Length, result.Ranked.Count + result.FilteredCount + result.FailedCount);
        for (var i = 0; i < cases.Length; i++)
        {
            var outcome = result.Outcomes[i];
            Assert.Equal(cases[i].Id, outcome.Candidate.Id);
            Assert.True(cases[i].Status == outcome.Status, $"{cases[i].Id}: {outcome.Status} ({outcome.Reason})");
            if (cases[i].Reason is { } reason)
            {
                Assert.StartsWith(reason, outcome.Reason, StringComparison.Ordinal);
                Assert.Equal("acquire", outcome.Stage);
            }
        }

        var jpeg = result.Outcomes[0];
        Assert.Equal(320, jpeg.Metadata!.Width);
        Assert.Equal("127.0.0.1", jpeg.Metadata.SourceDomain);

        // 23 candidates, 8 at a time: at most three rounds of the 2 s limit per image; the rest is slack for a busy machine.
        var bound = (3 * options.TotalTimeout) + TimeSpan.FromSeconds(5);
        Assert.True(clock.Elapsed < bound, $"the run took {clock.Elapsed}, the bound is {bound}");
    }

    [Fact]
    public async Task A_list_file_mixing_local_files_and_urls_flows_through_the_pipeline()
    {
        var folder = Directory.CreateTempSubdirectory("richscoring-list-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "local.png"), TestImages.Png, Ct);
            var list = Path.Combine(folder.FullName, "candidates.json");
            await File.WriteAllTextAsync(list, $$"""
                [
                  { "path": "local.png", "id": "local", "title": "A local duck", "license": "CC0 1.0" },
                  { "url": "{{Server.Url("/ok/listed.jpg")}}", "id": "web", "creator": "Someone" },
                  "{{Server.Url("/html/listed.jpg")}}"
                ]
                """, Ct);
            using var fetcher = new HttpCandidateFetcher(TestOptions.For(Server));
            using var pipeline = FakeEncoders.Builder().UseFetcher(fetcher).Build();

            var candidates = await new ListCandidateSource(list).GetCandidatesAsync(Ct).ToListAsync(Ct);
            var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

            Assert.Equal(["local", "web", Server.Url("/html/listed.jpg").ToString()], result.Outcomes.Select(o => o.Candidate.Id));
            Assert.Equal(CandidateStatus.Ranked, result.Outcomes[0].Status);
            Assert.Equal("A local duck", result.Outcomes[0].Metadata!.Title);
            Assert.Equal(300, result.Outcomes[0].Metadata!.Width);
            Assert.Equal(CandidateStatus.Ranked, result.Outcomes[1].Status);
            Assert.Equal("Someone", result.Outcomes[1].Metadata!.Creator);
            Assert.Equal(CandidateStatus.Failed, result.Outcomes[2].Status);
            Assert.Equal("not an image: HTML document", result.Outcomes[2].Reason);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_pipeline_disposes_the_fetcher_its_factory_made_and_leaves_a_shared_one_alone()
    {
        var url = Server.Url("/ok/owned.png");
        using var shared = new HttpCandidateFetcher(TestOptions.For(Server));
        var owned = new HttpCandidateFetcher(TestOptions.For(Server));
        FakeEncoders.Builder().UseFetcher(shared).Build().Dispose();
        var builder = FakeEncoders.Builder().UseFetcher(() => owned);
        builder.Validate();
        Assert.False((await owned.FetchAsync(url, Ct)).IsEmpty); // validating makes and disposes nothing
        builder.Build().Dispose();

        Assert.False((await shared.FetchAsync(url, Ct)).IsEmpty);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => owned.FetchAsync(url, Ct));
    }

    [Fact]
    public async Task UseHttpFetcher_makes_a_fetcher_that_lives_and_dies_with_its_pipeline()
    {
        var pipeline = FakeEncoders.Builder().UseHttpFetcher(TestOptions.For(Server)).Build();
        Candidate[] candidates = [Candidate.FromUrl(Server.Url("/ok/lives.png"), "web")];

        var before = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);
        pipeline.Dispose();
        var after = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        Assert.Equal(CandidateStatus.Ranked, Assert.Single(before.Outcomes).Status);
        var failed = Assert.Single(after.Outcomes);
        Assert.Equal(CandidateStatus.Failed, failed.Status);
        Assert.IsType<ObjectDisposedException>(failed.Error, exactMatch: false);
    }
}
