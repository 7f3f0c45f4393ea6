using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RichScoring.Onnx.Tests.Encoders;

namespace RichScoring.Onnx.Tests.Pipeline;

/// <summary>The whole pipeline over real ONNX Runtime sessions of the colour model, with generated images.</summary>
public sealed class PipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ScoringPipelineBuilder Builder() =>
        new ScoringPipelineBuilder().UseClip(fixture.Folder).WithPositive("a photo of something red").WithNegative("a photo of something blue");

    private static Candidate[] Swatches() =>
    [
        PipelineFixture.Flat("blue", 0, 0, 255),
        PipelineFixture.Flat("green", 0, 200, 0),
        PipelineFixture.Flat("red", 230, 10, 10),
        PipelineFixture.Flat("magenta", 220, 0, 220),
        PipelineFixture.Flat("yellow", 230, 230, 0),
    ];

    [Fact]
    public async Task Red_ranks_first_and_blue_last_for_a_red_query_with_a_blue_negative()
    {
        using var pipeline = Builder().Build();

        var result = await pipeline.ScoreAsync(Swatches(), cancellationToken: Ct);

        Assert.Equal(5, result.Ranked.Count);
        Assert.Equal("red", result.Ranked[0].Candidate.Id);
        Assert.Equal("blue", result.Ranked[^1].Candidate.Id);
        Assert.Equal([1, 2, 3, 4, 5], result.Ranked.Select(r => r.Rank!.Value));
        Assert.True(result.Ranked.Zip(result.Ranked.Skip(1)).All(p => p.First.Score >= p.Second.Score));

        var best = result.Ranked[0];
        Assert.True(best.Score > 0.99f, $"P(red) = {best.Score}"); // calibrated probability at logit scale 100
        Assert.Equal("a photo of something red", best.Breakdown!.BestPositive!.Prompt);
        Assert.Equal("a photo of something blue", best.Breakdown.BestNegative!.Prompt);
        Assert.Contains(best.Breakdown.Components, c => c.Name == WeightedScorerOptions.ClipName);
        Assert.Equal(320, best.Metadata!.Width);
        Assert.Equal("png", best.Metadata.Format, ignoreCase: true);
    }

    [Fact]
    public async Task Every_candidate_is_accounted_for_under_bad_input()
    {
        using var pipeline = Builder().Deduplicate(0.95f).Build();
        var red = TestImages.FlatPng(230, 10, 10, 320, 240);
        Candidate[] candidates =
        [
            Candidate.FromBytes("good", red),
            PipelineFixture.Noisy("near-copy", 230, 10, 10, seed: 1),
            PipelineFixture.Flat("tiny", 230, 10, 10, 120, 90),
            PipelineFixture.Flat("wide", 230, 10, 10, 900, 200),
            Candidate.FromBytes("html", "<!doctype html><html><body>404</body></html>"u8.ToArray()),
            Candidate.FromBytes("corrupt", red.AsMemory(0, red.Length / 3)),
            Candidate.FromBytes("empty", ReadOnlyMemory<byte>.Empty),
            Candidate.FromBytes("good", red), // repeated id
            PipelineFixture.Flat("green", 0, 200, 0),
        ];

        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        Assert.Equal(candidates.Length, result.Outcomes.Count);
        Assert.Equal(candidates.Length, result.Ranked.Count + result.FilteredCount + result.FailedCount);
        Assert.All(result.Outcomes, o => Assert.NotNull(o));
        CandidateOutcome Outcome(int i) => result.Outcomes[i];

        Assert.Equal(CandidateStatus.Ranked, Outcome(0).Status);
        Assert.Equal(CandidateStatus.Filtered, Outcome(1).Status);
        Assert.Equal("dedup", Outcome(1).Stage);
        Assert.Equal("good", Outcome(1).DuplicateOf);
        Assert.Matches(@"^near-duplicate of good \(cos (0\.9\d+|1\.00)\)$", Outcome(1).Reason);
        Assert.Equal("shortest side 90 px < 200", Outcome(2).Reason);
        Assert.Equal("heuristics", Outcome(2).Stage);
        Assert.StartsWith("aspect ratio 4.5", Outcome(3).Reason, StringComparison.Ordinal);
        Assert.Equal(CandidateStatus.Failed, Outcome(4).Status);
        Assert.Equal("not an image: HTML document", Outcome(4).Reason);
        Assert.Equal(CandidateStatus.Failed, Outcome(5).Status);
        Assert.IsType<InvalidImageException>(Outcome(5).Error);
        Assert.Equal(CandidateStatus.Failed, Outcome(6).Status);
        Assert.Equal(CandidateStatus.Failed, Outcome(7).Status);
        Assert.Contains("used by an earlier candidate", Outcome(7).Reason, StringComparison.Ordinal);
        Assert.Equal(CandidateStatus.Ranked, Outcome(8).Status);
        Assert.Equal(["good", "green"], result.Ranked.Select(r => r.Candidate.Id));
    }

    [Fact]
    public async Task The_threshold_filters_and_the_zero_result_guard_returns_the_best_flagged()
    {
        using var strict = Builder().Threshold(0.5f).Build();
        var some = await strict.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.Contains(some.Ranked, r => r.Candidate.Id == "red");
        var blue = some.Outcomes.Single(o => o.Candidate.Id == "blue");
        Assert.Equal(CandidateStatus.Filtered, blue.Status);
        Assert.Matches(@"^score 0(\.\d+)? < threshold 0\.5$", blue.Reason);
        Assert.False(some.IsZeroResult);

        using var impossible = Builder().Threshold(2f).TopK(2).Build();
        var none = await impossible.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.True(none.IsZeroResult);
        Assert.Equal(2, none.Ranked.Count);
        Assert.All(none.Ranked, r => Assert.True(r.BelowThreshold));
        Assert.Equal("red", none.Ranked[0].Candidate.Id);
        Assert.Single(none.Warnings);

        using var noFallback = Builder().Threshold(2f).Configure(o => o.ZeroResultFallback = false).Build();
        var empty = await noFallback.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.Empty(empty.Ranked);
        Assert.Equal(5, empty.FilteredCount);
    }

    [Fact]
    public async Task Top_k_cuts_the_list_and_says_why()
    {
        using var pipeline = Builder().TopK(2).Build();

        var result = await pipeline.ScoreAsync(Swatches(), cancellationToken: Ct);

        Assert.Equal(2, result.Ranked.Count);
        var third = result.Outcomes.Single(o => o.Reason?.StartsWith("rank 3", StringComparison.Ordinal) == true);
        Assert.Equal("rank 3 is beyond the top 2", third.Reason);
        Assert.NotNull(third.Score); // filtered candidates keep their score for reports
    }

    [Fact]
    public async Task Diversity_prefers_a_different_colour_over_a_second_copy()
    {
        // Scores are min-max normalised before mixing: the copies score 1, magenta 0; with λ = 0.2 variety wins
        // (second copy: 0.2 − 0.8·1.0 = −0.6; magenta: 0 − 0.8·cos(magenta, red) ≈ −0.57).
        using var pipeline = Builder().Diversify(0.2f).TopK(2).Build();
        Candidate[] candidates =
        [
            PipelineFixture.Noisy("red-1", 230, 10, 10, 1),
            PipelineFixture.Noisy("red-2", 231, 11, 9, 2),
            PipelineFixture.Flat("magenta", 220, 0, 220),
        ];

        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        Assert.Equal(2, result.Ranked.Count);
        Assert.Contains(result.Ranked, r => r.Candidate.Id == "magenta");
    }

    private sealed class BlueLover : IReranker
    {
        public Task<IReadOnlyList<RerankScore>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RerankScore>>([.. request.Candidates.Select(c => new RerankScore(c.Image.Id, c.Image.Id == "blue" ? 1f : 0f, "blue is lovely"))]);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
    }

    private sealed class Broken : IReranker
    {
        public Task<IReadOnlyList<RerankScore>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("the model server is down");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
    }

    [Fact]
    public async Task A_reranker_adjusts_the_top_and_a_failing_one_changes_nothing()
    {
        using var reranked = Builder().UseReranker(new BlueLover(), topN: 5, weight: 2f).Build();
        var result = await reranked.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.Equal("blue", result.Ranked[0].Candidate.Id);
        Assert.Equal("blue is lovely", result.Ranked[0].Rerank!.Explanation);

        using var broken = Builder().UseReranker(new Broken()).Build();
        var fallback = await broken.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.Equal("red", fallback.Ranked[0].Candidate.Id);
        Assert.Contains(fallback.Warnings, w => w.Contains("the model server is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_calls_give_the_same_results_as_serial_ones()
    {
        using var pipeline = Builder().Deduplicate().Build();
        var serial = await pipeline.ScoreAsync(Swatches(), cancellationToken: Ct);

        var parallel = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => pipeline.ScoreAsync(Swatches(), cancellationToken: Ct), Ct)));

        foreach (var r in parallel)
        {
            Assert.Equal(serial.Ranked.Select(o => o.Candidate.Id), r.Ranked.Select(o => o.Candidate.Id));
            Assert.Equal(serial.Ranked.Select(o => o.Score!.Value), r.Ranked.Select(o => o.Score!.Value), (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public async Task Progress_is_reported_per_stage()
    {
        using var pipeline = Builder().Build();
        var reports = new ConcurrentQueue<ScoringProgress>();

        await pipeline.ScoreAsync(Swatches(), progress: new SyncProgress(reports.Enqueue), cancellationToken: Ct);

        var stages = reports.Select(r => r.Stage).Distinct().ToList();
        Assert.Equal(["acquire", "identify", "embed", "score", "done"], stages);
        Assert.Contains(reports, r => r is { Stage: "acquire", Completed: 5, Total: 5 });
        Assert.Equal(new ScoringProgress("done", 5, 5), reports.Last());
    }

    [Fact]
    public async Task Files_streams_and_urls_are_read_within_limits()
    {
        var dir = Directory.CreateTempSubdirectory("rs-files-").FullName;
        try
        {
            var path = Path.Combine(dir, "red.png");
            await File.WriteAllBytesAsync(path, TestImages.FlatPng(230, 10, 10, 320, 240), Ct);
            using var pipeline = Builder().Configure(o => o.MaxImageBytes = 50_000).Build();
            Candidate[] candidates =
            [
                Candidate.FromFile(path),
                Candidate.FromStream("stream", _ => ValueTask.FromResult<Stream>(new MemoryStream(TestImages.FlatPng(0, 0, 255, 320, 240)))),
                Candidate.FromStream("huge", _ => ValueTask.FromResult<Stream>(new MemoryStream(new byte[60_000]))),
                Candidate.FromFile(Path.Combine(dir, "missing.png")),
                Candidate.FromUrl(new Uri("https://images.example/duck.jpg")),
            ];

            var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

            Assert.Equal(path, result.Ranked[0].Candidate.Id);
            Assert.Equal("stream", result.Ranked[1].Candidate.Id);
            Assert.Contains("larger than the", result.Outcomes[2].Reason, StringComparison.Ordinal);
            Assert.Equal(CandidateStatus.Failed, result.Outcomes[3].Status);
            Assert.Contains("missing.png", result.Outcomes[3].Reason, StringComparison.Ordinal);
            Assert.Contains("no fetcher is configured", result.Outcomes[4].Reason, StringComparison.Ordinal);
            Assert.Equal("images.example", result.Outcomes[4].Candidate.Metadata.SourceDomain);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Metrics_and_activities_are_emitted()
    {
        var counts = new ConcurrentDictionary<string, long>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RichScoringTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "richscoring.candidates")
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome")
                    {
                        counts.AddOrUpdate((string)tag.Value!, value, (_, v) => v + value);
                    }
                }
            }
        });
        meters.Start();
        var spans = new ConcurrentBag<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RichScoringTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => spans.Add(a.OperationName),
        };
        ActivitySource.AddActivityListener(activities);
        using var pipeline = Builder().TopK(3).Build();

        await pipeline.ScoreAsync([.. Swatches(), Candidate.FromBytes("bad", new byte[] { 1, 2, 3 })], cancellationToken: Ct);

        Assert.True(counts.GetValueOrDefault("ranked") >= 3);
        Assert.True(counts.GetValueOrDefault("filtered") >= 2);
        Assert.True(counts.GetValueOrDefault("failed") >= 1);
        Assert.Contains("richscoring.score", spans);
        Assert.Contains("richscoring.embed", spans);
    }

    private sealed class SyncProgress(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
