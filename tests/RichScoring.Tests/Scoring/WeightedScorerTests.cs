using static RichScoring.Tests.Scoring.ScoringReference;

namespace RichScoring.Tests.Scoring;

public class WeightedScorerTests
{
    private static readonly float[][] Positives = [[1, 0, 0], [0, 1, 0]];
    private static readonly float[][] Negatives = [[0, 0, 1]];

    private static ScoringRequest ThreeCandidates(IReadOnlyList<ImageMetadata?>? metadata = null) =>
        Request(Positives, Negatives, [[0.6f, 0.8f, 0], [0.6f, 0, 0.8f], [1, 0, 0]], metadata);

    private static KeyValuePair<string, IScorer> Named(string name, IScorer scorer) => new(name, scorer);

    [Fact]
    public async Task Combines_named_components_with_their_weights()
    {
        var options = new WeightedScorerOptions { Clip = 2f, VisionLanguage = 0.5f };
        var scorer = new WeightedScorer(
            [Named("clip", new ContrastScorer()), Named("vlm", new FixedScorer([1f, 0.2f, 0f])), Named("extra", new FixedScorer([3f, 3f, 3f]))],
            options);

        var batch = await ScoreAsync(scorer, ThreeCandidates());

        // 2 · contrast + 0.5 · vlm + 1 · extra (no weight given: 1).
        Assert.Equal((2 * 0.8f) + (0.5f * 1f) + 3f, batch.Values[0], 1e-5f);
        Assert.Equal((2 * -0.2f) + (0.5f * 0.2f) + 3f, batch.Values[1], 1e-5f);
        Assert.Equal((2 * 1f) + 3f, batch.Values[2], 1e-5f);

        var breakdown = batch.Breakdowns[0];
        Assert.Equal(["clip", "vlm", "extra"], breakdown.Components.Select(c => c.Name));
        Assert.Equal([2f, 0.5f, 1f], breakdown.Components.Select(c => c.Weight));
        Assert.Equal(0.8f, breakdown.Components[0].Value, 1e-6f);
        Assert.Equal(batch.Values[0], breakdown.Components.Sum(c => c.Weight * c.Value), 1e-5f);
        Assert.Equal("p1", breakdown.BestPositive!.Prompt);
        Assert.Equal("n0", breakdown.BestNegative!.Prompt);
        Assert.Null(breakdown.RejectionReason);
    }

    [Fact]
    public async Task Best_prompts_come_from_the_clip_component_wherever_it_is()
    {
        var scorer = new WeightedScorer([Named("heuristics", new HeuristicScorer()), Named("clip", new CalibratedScorer())]);
        var batch = await ScoreAsync(scorer, ThreeCandidates());
        Assert.Equal(1, batch.Breakdowns[0].BestPositive!.Index);
        Assert.Equal(0.8f, batch.Breakdowns[1].BestNegative!.Similarity, 1e-6f);
    }

    [Fact]
    public async Task A_rejection_in_any_component_rejects_the_combination_even_at_weight_0()
    {
        var heuristics = new HeuristicScorer(new HeuristicOptions { PreferHigherResolution = true });
        var scorer = new WeightedScorer(
            [Named("clip", new ContrastScorer()), Named("heuristics", heuristics)],
            new WeightedScorerOptions { Heuristics = 0f });
        var metadata = new ImageMetadata?[] { new() { Width = 120, Height = 300 }, new() { Width = 2000, Height = 2000 }, null };

        var batch = await ScoreAsync(scorer, ThreeCandidates(metadata));

        Assert.Equal("shortest side 120 px < 200", batch.Breakdowns[0].RejectionReason);
        Assert.Null(batch.Breakdowns[1].RejectionReason);
        Assert.Equal(-0.2f, batch.Values[1], 1e-6f); // the resolution bonus (1) enters at weight 0
        Assert.Equal(1f, batch.Breakdowns[1].Components[1].Value);
    }

    [Fact]
    public async Task Rejections_of_several_components_are_joined()
    {
        var scorer = new WeightedScorer(
        [
            Named("a", new FixedScorer([0f], _ => new ScoreBreakdown { RejectionReason = "too small" })),
            Named("b", new FixedScorer([0f])),
            Named("c", new FixedScorer([0f], _ => new ScoreBreakdown { RejectionReason = "domain x.org is denied" })),
        ]);
        var batch = await ScoreAsync(scorer, Request(Positives, [], [[1, 0, 0]]));
        Assert.Equal("too small; domain x.org is denied", batch.Breakdowns[0].RejectionReason);
    }

    [Fact]
    public async Task A_component_with_the_wrong_count_is_an_error()
    {
        var scorer = new WeightedScorer([Named("clip", new ContrastScorer()), Named("broken", new FixedScorer([1f]))]);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ScoreAsync(scorer, ThreeCandidates()));
        Assert.Equal("Component 'broken' returned 1 scores for 3 candidates.", ex.Message);
    }

    [Fact]
    public void Convenience_properties_are_entries_of_the_dictionary()
    {
        var options = new WeightedScorerOptions { Clip = 0.7f, Heuristics = 0.1f };
        Assert.Equal(0.7f, options.Weights["clip"]);
        Assert.Equal(0.1f, options.Weights["heuristics"]);
        Assert.Equal(1f, options.VisionLanguage); // not set: the default weight
        Assert.False(options.Weights.ContainsKey("vlm"));
        options.Weights["vlm"] = 0.3f;
        Assert.Equal(0.3f, options.VisionLanguage);
    }

    [Theory]
    [InlineData("clip", -1f, "weight 'clip' must be ≥ 0, got -1")]
    [InlineData("vlm", float.NaN, "weight 'vlm' must be a finite number, got NaN")]
    [InlineData("heuristics", float.PositiveInfinity, "weight 'heuristics' must be a finite number, got Infinity")]
    public void Bad_weights_are_refused_with_a_clear_message(string name, float weight, string message)
    {
        var options = new WeightedScorerOptions();
        options.Weights[name] = weight;
        var ex = Assert.Throws<ArgumentException>(() => new WeightedScorer([Named("clip", new ContrastScorer())], options));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Components_must_be_present_named_and_unique()
    {
        Assert.StartsWith(
            "A weighted scorer needs at least one component.",
            Assert.Throws<ArgumentException>(() => new WeightedScorer([])).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "Component name 'clip' is used twice.",
            Assert.Throws<ArgumentException>(() => new WeightedScorer([Named("clip", new ContrastScorer()), Named("clip", new ClipScoreScorer())])).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "Component 0 has no name.",
            Assert.Throws<ArgumentException>(() => new WeightedScorer([Named(" ", new ContrastScorer())])).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "Component 'clip' has no scorer.",
            Assert.Throws<ArgumentException>(() => new WeightedScorer([Named("clip", null!)])).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void GetService_finds_the_combination_and_its_components()
    {
        var heuristics = new HeuristicScorer();
        var scorer = new WeightedScorer([Named("clip", new ContrastScorer()), Named("heuristics", heuristics)]);
        Assert.Same(scorer, scorer.GetService(typeof(WeightedScorer)));
        Assert.Same(heuristics, scorer.GetService(typeof(HeuristicScorer)));
        Assert.IsType<ContrastScorer>(scorer.GetService(typeof(ContrastScorer)));
        Assert.Null(scorer.GetService(typeof(ClipScoreScorer)));
        Assert.Null(scorer.GetService(typeof(WeightedScorer), "key"));
    }
}
