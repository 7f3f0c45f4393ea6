using static RichScoring.Tests.Scoring.ScoringReference;

namespace RichScoring.Tests.Scoring;

public class ScorerContractTests
{
    public static TheoryData<string> Scorers => ["contrast", "smooth", "clipscore", "softmax", "sigmoid", "heuristics", "weighted"];

    private static IScorer Create(string name) => name switch
    {
        "contrast" => new ContrastScorer(),
        "smooth" => new ContrastScorer(new ContrastScorerOptions { Smooth = true }),
        "clipscore" => new ClipScoreScorer(),
        "softmax" => new CalibratedScorer(),
        "sigmoid" => new CalibratedScorer(new CalibratedScorerOptions { LogitScale = 117f, LogitBias = -13f }),
        "heuristics" => new HeuristicScorer(),
        _ => new WeightedScorer([new("clip", new ContrastScorer()), new("heuristics", new HeuristicScorer())]),
    };

    [Theory]
    [MemberData(nameof(Scorers))]
    public async Task An_empty_request_gives_an_empty_batch(string name)
    {
        var request = new ScoringRequest(
            new EncodedQuery(new ScoringQuery(["duck"], ["goose"]), Batch([[1, 0]], 2), Batch([[0, 1]], 2)),
            EmbeddingBatch.Create(0, 2, Model),
            []);
        var batch = await ScoreAsync(Create(name), request);
        Assert.Equal(0, batch.Count);
        Assert.Empty(batch.Breakdowns);
    }

    [Theory]
    [MemberData(nameof(Scorers))]
    public async Task Every_candidate_gets_a_score_and_a_breakdown(string name)
    {
        var (request, _, _, _) = ScoringReference.Random(41, 37, 3, 2);
        var batch = await ScoreAsync(Create(name), request);
        Assert.Equal(37, batch.Count);
        Assert.All(batch.Values.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.All(batch.Breakdowns, Assert.NotNull);
    }

    [Theory]
    [MemberData(nameof(Scorers))]
    public async Task A_cancelled_token_stops_the_scorer(string name)
    {
        var (request, _, _, _) = ScoringReference.Random(42, 5, 1, 1);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Create(name).ScoreAsync(request, cts.Token));
    }

    [Theory]
    [MemberData(nameof(Scorers))]
    public async Task Concurrent_calls_give_the_serial_results(string name)
    {
        var scorer = Create(name);
        var requests = Enumerable.Range(0, 8).Select(i => ScoringReference.Random(50 + i, 64, 4, 3).Request).ToArray();
        var serial = new List<float[]>();
        foreach (var r in requests)
        {
            serial.Add((await ScoreAsync(scorer, r)).Values.ToArray());
        }

        var parallel = await Task.WhenAll(requests.Select(r => Task.Run(async () => (await ScoreAsync(scorer, r)).Values.ToArray())));
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(serial[i], parallel[i]);
        }
    }

    [Fact]
    public void GetService_returns_the_scorer_itself_for_its_type_only()
    {
        var scorer = Create("contrast");
        Assert.Same(scorer, scorer.GetService(typeof(IScorer)));
        Assert.Same(scorer, scorer.GetService(typeof(ContrastScorer)));
        Assert.Null(scorer.GetService(typeof(CalibratedScorer)));
        Assert.Null(scorer.GetService(typeof(ContrastScorer), "key"));
    }
}
