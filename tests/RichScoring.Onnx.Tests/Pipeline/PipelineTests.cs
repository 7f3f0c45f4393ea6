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

        // The fallback's top K is taken after dedup: a near-copy of red does not take the place of the next colour.
        using var deduplicated = Builder().Threshold(2f).Deduplicate(0.95f).TopK(2).Build();
        var copies = await deduplicated.ScoreAsync([.. Swatches(), PipelineFixture.Flat("red-copy", 230, 10, 11)], cancellationToken: Ct);
        Assert.True(copies.IsZeroResult);
        Assert.Equal(["red", "yellow"], copies.Ranked.Select(r => r.Candidate.Id));
        Assert.Equal("No candidate reached the threshold 2; showing the best 2 below it.", Assert.Single(copies.Warnings));
        var copy = copies.Outcomes.Single(o => o.Candidate.Id == "red-copy");
        Assert.Equal(("dedup", "red"), (copy.Stage, copy.DuplicateOf));
        var magenta = copies.Outcomes.Single(o => o.Candidate.Id == "magenta");
        Assert.Equal("threshold", magenta.Stage);
        Assert.Matches(@"^score -?\d+(\.\d+)? < threshold 2$", magenta.Reason);

        using var noFallback = Builder().Threshold(2f).Configure(o => o.ZeroResultFallback = false).Build();
        var empty = await noFallback.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.Empty(empty.Ranked);
        Assert.Equal(5, empty.FilteredCount);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_named_in_the_warnings_once_per_prompt()
    {
        var longText = "a photo of something red " + string.Join(' ', Enumerable.Repeat("and very red", 40));
        var longConcept = string.Join(' ', Enumerable.Repeat("blue", 90));
        var query = new ScoringQuery([Prompt.Text(longText), Prompt.Text("a photo of something red")], [Prompt.Concept(longConcept)]);
        using var pipeline = Builder().Build();

        var result = await pipeline.ScoreAsync(Swatches(), query, cancellationToken: Ct);

        // The same check the pipeline makes, through the encoder's own tokenizer.
        var window = Assert.IsAssignableFrom<ITextContextWindow>(pipeline.TextEncoder.GetService(typeof(ITextContextWindow)));
        Assert.Equal(77, window.ContextLength);
        Assert.True(window.IsTruncated(longText));
        Assert.False(window.IsTruncated("a photo of something red"));

        // One warning per cut prompt: the concept counts once although every one of its templates was cut.
        Assert.Equal(2, result.Warnings.Count);
        Assert.Equal($"The prompt \"{longText[..57]}...\" is longer than the 77 tokens the model reads; its end is ignored.", result.Warnings[0]);
        Assert.StartsWith("The prompt \"blue blue", result.Warnings[1], StringComparison.Ordinal);
        Assert.Equal("red", result.Ranked[0].Candidate.Id);

        // Served from the text cache the second time, the prompts are still reported as cut.
        var again = await pipeline.ScoreAsync(Swatches(), query, cancellationToken: Ct);
        Assert.Equal(result.Warnings, again.Warnings);

        var plain = await pipeline.ScoreAsync(Swatches(), cancellationToken: Ct);
        Assert.Empty(plain.Warnings);
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

    /// <summary>Holds every image-encoder call until <paramref name="expected"/> calls are inside at once (or a timeout passes).</summary>
    private sealed class Rendezvous(IImageEncoder inner, int expected) : DelegatingImageEncoder(inner)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inside;
        private int _calls;

        public int MostInside { get; private set; }

        public int Calls => Volatile.Read(ref _calls);

        public override async Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var inside = Interlocked.Increment(ref _inside);
            lock (_all)
            {
                MostInside = Math.Max(MostInside, inside);
            }

            if (inside >= expected)
            {
                _all.TrySetResult();
            }

            try
            {
                // Wait until every call has arrived, so the ONNX session really runs them side by side.
                await _all.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
                return await base.EncodeAsync(images, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        }
    }

    [Fact]
    public async Task Concurrent_calls_give_the_same_results_as_serial_ones()
    {
        // Each call gets its own images (colours shifted by the call's number), and the concurrent calls run on a fresh
        // pipeline, so no call is answered from a cache another filled: every one runs the image session itself.
        const int Calls = 6;
        Candidate[] Set(int k) =>
        [
            PipelineFixture.Flat($"blue-{k}", 0, (byte)k, (byte)(255 - k)),
            PipelineFixture.Flat($"green-{k}", (byte)k, 200, 0),
            PipelineFixture.Flat($"red-{k}", (byte)(230 - k), 10, 10),
            PipelineFixture.Flat($"magenta-{k}", 220, (byte)k, 220),
            PipelineFixture.Flat($"yellow-{k}", 230, 230, (byte)k),
        ];
        var sets = Enumerable.Range(0, Calls).Select(Set).ToArray();

        using var serialPipeline = Builder().Deduplicate().Build();
        var serial = new List<ScoringResult>();
        foreach (var set in sets)
        {
            serial.Add(await serialPipeline.ScoreAsync(set, cancellationToken: Ct));
        }

        Rendezvous? gate = null;
        using var fresh = Builder().Deduplicate().UseImageEncoder(inner => gate = new Rendezvous(inner, Calls)).Build();
        var parallel = await Task.WhenAll(sets.Select(set => Task.Run(() => fresh.ScoreAsync(set, cancellationToken: Ct), Ct)));

        Assert.Equal(Calls, gate!.Calls); // one encoder call per ScoreAsync: nothing came from a cache
        Assert.Equal(Calls, gate.MostInside); // and all of them were in the encoder at the same time
        for (var k = 0; k < Calls; k++)
        {
            Assert.Equal(5, parallel[k].Ranked.Count);
            Assert.Equal($"red-{k}", parallel[k].Ranked[0].Candidate.Id);
            Assert.Equal(serial[k].Ranked.Select(o => o.Candidate.Id), parallel[k].Ranked.Select(o => o.Candidate.Id));
            Assert.Equal(serial[k].Ranked.Select(o => o.Score!.Value), parallel[k].Ranked.Select(o => o.Score!.Value), (a, b) => Math.Abs(a - b) < 1e-5);
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
    public async Task Ties_are_broken_by_id()
    {
        // The same file twice: equal embeddings, equal scores; the order is the ordinal order of the ids, not the input's.
        using var pipeline = Builder().Build();
        var red = TestImages.FlatPng(230, 10, 10, 320, 240);

        var result = await pipeline.ScoreAsync([Candidate.FromBytes("b", red), Candidate.FromBytes("a", red), PipelineFixture.Flat("blue", 0, 0, 255)], cancellationToken: Ct);

        Assert.Equal(["a", "b", "blue"], result.Ranked.Select(o => o.Candidate.Id));
        Assert.Equal(result.Ranked[0].Score, result.Ranked[1].Score);
        Assert.Equal([1, 2, 3], result.Ranked.Select(o => o.Rank!.Value));
    }

    /// <summary>Puts <paramref name="identifier"/> in front of the model's own header reader.</summary>
    private sealed class WithIdentifier(IImageEncoder inner, Func<IImageIdentifier, IImageIdentifier> identifier) : DelegatingImageEncoder(inner)
    {
        private readonly IImageIdentifier _identifier = identifier(inner.GetService<IImageIdentifier>()!);

        public int EncodeCalls;

        public override Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref EncodeCalls);
            return base.EncodeAsync(images, cancellationToken);
        }

        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(IImageIdentifier) ? _identifier : base.GetService(serviceType, serviceKey);
    }

    private sealed class Identifier(Func<ReadOnlyMemory<byte>, ImageMetadata> identify) : IImageIdentifier
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ImageMetadata Identify(ReadOnlyMemory<byte> encodedImage)
        {
            Interlocked.Increment(ref _calls);
            return identify(encodedImage);
        }
    }

    [Fact]
    public async Task An_identifier_that_throws_fails_only_that_candidate()
    {
        // A decoder bug rather than a bad image: the model's identifier reads the header, then ours throws for the one
        // image that is 321 pixels wide (InvalidOperationException), or 322 wide (a cancellation of its own, not the
        // caller's: a timeout inside the decoder).
        using var pipeline = Builder()
            .UseImageEncoder(inner => new WithIdentifier(inner, real => new Identifier(bytes =>
            {
                var found = real.Identify(bytes);
                return found.Width switch
                {
                    321 => throw new InvalidOperationException("the decoder exploded"),
                    322 => throw new OperationCanceledException("the decoder timed out"),
                    _ => found,
                };
            })))
            .Build();
        Candidate[] candidates =
        [
            PipelineFixture.Flat("red", 230, 10, 10),
            PipelineFixture.Flat("boom", 0, 200, 0, width: 321),
            PipelineFixture.Flat("slow", 220, 0, 220, width: 322),
            PipelineFixture.Flat("blue", 0, 0, 255),
        ];

        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        Assert.Equal(candidates.Length, result.Ranked.Count + result.FilteredCount + result.FailedCount);
        var boom = result.Outcomes[1];
        Assert.Equal(CandidateStatus.Failed, boom.Status);
        Assert.Equal("identify", boom.Stage);
        Assert.Equal("could not be identified: the decoder exploded", boom.Reason);
        Assert.IsType<InvalidOperationException>(boom.Error);
        var slow = result.Outcomes[2];
        Assert.Equal(CandidateStatus.Failed, slow.Status);
        Assert.Equal("could not be identified: the decoder timed out", slow.Reason);
        Assert.Equal(["red", "blue"], result.Ranked.Select(o => o.Candidate.Id));
    }

    [Fact]
    public async Task A_header_over_the_pixel_limit_fails_that_candidate_before_decoding()
    {
        // A PNG whose IHDR declares 12000 × 9000; its data is junk, so only the header check can give this message.
        using var pipeline = Builder().Build();
        Candidate[] candidates =
        [
            PipelineFixture.Flat("red", 230, 10, 10),
            Candidate.FromBytes("huge", Preprocessing.CraftedFiles.PngHeader(12000, 9000)),
            PipelineFixture.Flat("blue", 0, 0, 255),
        ];

        var result = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);

        var huge = result.Outcomes[1];
        Assert.Equal(CandidateStatus.Failed, huge.Status);
        Assert.Equal("identify", huge.Stage);
        Assert.Equal("12000×9000 (108 MP) exceeds the 50 MP limit", huge.Reason);
        Assert.Equal(ImageErrorKind.TooLarge, Assert.IsType<InvalidImageException>(huge.Error).Kind);
        Assert.Equal(["red", "blue"], result.Ranked.Select(o => o.Candidate.Id));
        Assert.Equal(1, result.FailedCount);
    }

    private sealed class Recorder(string favourite) : IReranker
    {
        public List<RerankCandidate> Seen { get; } = [];

        public Task<IReadOnlyList<RerankScore>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(request.Candidates);
            return Task.FromResult<IReadOnlyList<RerankScore>>([.. request.Candidates.Select(c => new RerankScore(c.Image.Id, c.Image.Id == favourite ? 1f : 0f))]);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
    }

    [Fact]
    public async Task The_reranker_judges_only_the_top_n_and_the_rest_keep_their_scores()
    {
        Candidate[] Candidates() =>
        [
            .. Swatches(),
            PipelineFixture.Flat("orange", 240, 120, 0),
            PipelineFixture.Flat("dark-red", 150, 0, 0),
            PipelineFixture.Flat("cyan", 0, 220, 220),
        ];
        using var plain = Builder().Build();
        var first = await plain.ScoreAsync(Candidates(), cancellationToken: Ct);
        Assert.Equal(8, first.Ranked.Count);
        var third = first.Ranked[2].Candidate.Id;

        var recorder = new Recorder(favourite: third);
        using var reranked = Builder().UseReranker(recorder, topN: 3, weight: 2f).Build();
        var result = await reranked.ScoreAsync(Candidates(), cancellationToken: Ct);

        // Exactly the first pass's top 3, in rank order, with their first-pass scores.
        Assert.Equal(first.Ranked.Take(3).Select(o => o.Candidate.Id), recorder.Seen.Select(c => c.Image.Id));
        Assert.Equal(first.Ranked.Take(3).Select(o => o.Score!.Value), recorder.Seen.Select(c => c.Score));

        // The favourite gains β · 1 = 2 and moves to the top (first-pass scores are probabilities, ≤ 1); the other two
        // judged ones gain 0; ranks 4..8 are untouched.
        Assert.Equal(third, result.Ranked[0].Candidate.Id);
        Assert.Equal(first.Ranked[2].Score!.Value + 2f, result.Ranked[0].Score!.Value, 1e-5f);
        Assert.NotNull(result.Ranked[0].Rerank);
        Assert.Equal(first.Ranked.Take(2).Select(o => o.Candidate.Id), result.Ranked.Skip(1).Take(2).Select(o => o.Candidate.Id));
        Assert.Equal(first.Ranked.Skip(3).Select(o => (o.Candidate.Id, o.Score)), result.Ranked.Skip(3).Select(o => (o.Candidate.Id, o.Score)));
        Assert.All(result.Ranked.Skip(3), o => Assert.Null(o.Rerank));
    }

    [Fact]
    public async Task A_cancelled_token_surfaces_as_cancellation_not_as_failed_candidates()
    {
        // Cancelled before the call: nothing is read, identified or embedded.
        WithIdentifier? encoder = null;
        Identifier? identifier = null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var pipeline = Builder()
            .UseImageEncoder(inner => encoder = new WithIdentifier(inner, real => identifier = new Identifier(bytes =>
            {
                // The first header read cancels the call: the identify loop must stop at the next candidate.
                cts.Cancel();
                return real.Identify(bytes);
            })))
            .Build();
        var reports = new ConcurrentQueue<ScoringProgress>();
        var progress = new SyncProgress(reports.Enqueue);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ScoreAsync(Swatches(), progress: progress, cancellationToken: new CancellationToken(canceled: true)));
        Assert.Equal(0, identifier!.Calls);

        // Cancelled during identification.
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ScoreAsync(Swatches(), progress: progress, cancellationToken: cts.Token));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(1, identifier.Calls);
        Assert.Equal(0, encoder!.EncodeCalls);
        Assert.DoesNotContain(reports, r => r.Stage is "embed" or "score" or "done" || r is { Stage: "identify", Completed: > 1 });
    }

    /// <summary>Log entries written through it, kept for assertions.</summary>
    private sealed class CapturingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public ConcurrentQueue<(string Category, int EventId, string Message)> Entries { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerFactory owner, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((category, eventId.Id, formatter(state, exception)));
        }
    }

    private static readonly string[] Stages = ["acquire", "identify", "query", "embed", "score", "dedup", "rerank"];

    [Fact]
    public async Task Metrics_activities_and_logs_are_emitted()
    {
        // The listeners are process-wide and other tests run alongside: every measurement and span is attributed to
        // the test's own root activity (its trace id), which the pipeline's activities inherit.
        using var testSource = new ActivitySource("RichScoring.Tests.Telemetry");
        var measurements = new ConcurrentQueue<(ActivityTraceId Trace, string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RichScoringTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (Activity.Current is { } current)
            {
                var copy = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    copy[tag.Key] = tag.Value;
                }

                measurements.Enqueue((current.TraceId, instrument.Name, value, copy));
            }
        }

        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.Start();
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RichScoringTelemetry.Name || s.Name == testSource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);
        var logs = new CapturingLoggerFactory();
        using var pipeline = Builder().TopK(3).WithLoggerFactory(logs).Build();
        using var impossible = Builder().Threshold(2f).Build();

        ActivityTraceId normal, zero;
        using (var root = testSource.StartActivity("normal-query"))
        {
            normal = root!.TraceId;
            await pipeline.ScoreAsync([.. Swatches(), Candidate.FromBytes("bad", new byte[] { 1, 2, 3 })], cancellationToken: Ct);
        }

        using (var root = testSource.StartActivity("zero-result-query"))
        {
            zero = root!.TraceId;
            Assert.True((await impossible.ScoreAsync(Swatches(), cancellationToken: Ct)).IsZeroResult);
        }

        long Sum(ActivityTraceId trace, string instrument, string? tag = null, string? value = null) =>
            (long)measurements.Where(m => m.Trace == trace && m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value))).Sum(m => m.Value);

        // Candidates per outcome: 3 ranked, 2 beyond the top 3, 1 not an image.
        Assert.Equal(3, Sum(normal, "richscoring.candidates", "outcome", "ranked"));
        Assert.Equal(2, Sum(normal, "richscoring.candidates", "outcome", "filtered"));
        Assert.Equal(1, Sum(normal, "richscoring.candidates", "outcome", "failed"));

        // One duration per stage, each ≥ 0 seconds.
        var durations = measurements.Where(m => m.Trace == normal && m.Instrument == "richscoring.stage.duration").ToList();
        Assert.Equal(Stages.Order(StringComparer.Ordinal), durations.Select(m => (string)m.Tags["stage"]!).Order(StringComparer.Ordinal));
        Assert.All(durations, m => Assert.True(m.Value >= 0));

        // The zero-result counter moves for the query where nothing passed, and only for it.
        Assert.Equal(0, Sum(normal, "richscoring.queries.zero_result"));
        Assert.Equal(1, Sum(zero, "richscoring.queries.zero_result"));

        // One pipeline span per call, with one child span per stage.
        var mine = spans.Where(a => a.TraceId == normal && a.Source.Name == RichScoringTelemetry.Name).ToList();
        var call = Assert.Single(mine, a => a.OperationName == "richscoring.pipeline");
        Assert.Equal((object)6, call.GetTagItem("richscoring.candidates"));
        var children = mine.Where(a => a.ParentSpanId == call.SpanId).Select(a => a.OperationName).Order(StringComparer.Ordinal);
        Assert.Equal(Stages.Select(s => "richscoring." + s).Order(StringComparer.Ordinal), children);

        // Logs at the stage boundaries: started, one line per stage, finished.
        var entries = logs.Entries.Where(e => e.Category == typeof(ScoringPipeline).FullName).ToList();
        Assert.Equal(100, entries[0].EventId);
        Assert.Equal("Scoring 6 candidates against 1 positive and 1 negative prompts", entries[0].Message);
        var stageLines = entries.Where(e => e.EventId == 101).Select(e => e.Message).ToList();
        Assert.Equal(Stages.Length, stageLines.Count);
        for (var i = 0; i < Stages.Length; i++)
        {
            Assert.StartsWith($"Stage {Stages[i]} done in ", stageLines[i], StringComparison.Ordinal);
        }

        Assert.Equal(102, entries[^1].EventId);
        Assert.StartsWith("Scored: 3 ranked, 2 filtered, 1 failed in ", entries[^1].Message, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
