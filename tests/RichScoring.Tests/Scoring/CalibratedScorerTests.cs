using static RichScoring.Tests.Scoring.ScoringReference;

namespace RichScoring.Tests.Scoring;

public class CalibratedScorerTests
{
    private const int D = 4;

    [Fact]
    public async Task Softmax_probability_matches_hand_computed_values()
    {
        // The image is the first axis, so each prompt's cosine is its first coordinate.
        float[][] positives = [WithCosine(0.30, 1, D), WithCosine(0.30, 2, D)];
        float[][] negatives = [WithCosine(0.28, 3, D)];
        float[][] images = [[1, 0, 0, 0]];

        // One positive against one negative: e^30 / (e^30 + e^28) = 1 / (1 + e^−2) = 0.8807971.
        var one = await ScoreAsync(new CalibratedScorer(), Request(positives[..1], negatives, images));
        Assert.Equal(0.8807971f, one.Values[0], 2e-6f);

        // Two equal positives: 2 / (2 + e^−2) = 0.9366212.
        var two = await ScoreAsync(new CalibratedScorer(), Request(positives, negatives, images));
        Assert.Equal(0.9366212f, two.Values[0], 2e-6f);
        var breakdown = two.Breakdowns[0];
        Assert.Equal("clip.probability", Assert.Single(breakdown.Components).Name);
        Assert.Equal(0.30f, breakdown.BestPositive!.Similarity, 1e-6f);
        Assert.Equal(0.28f, breakdown.BestNegative!.Similarity, 1e-6f);
    }

    [Fact]
    public async Task The_logit_scale_sharpens_the_probability()
    {
        float[][] positives = [WithCosine(0.30, 1, D)];
        float[][] negatives = [WithCosine(0.28, 2, D)];
        var scorer = new CalibratedScorer(new CalibratedScorerOptions { LogitScale = 50 });
        var batch = await ScoreAsync(scorer, Request(positives, negatives, [[1, 0, 0, 0]]));
        Assert.Equal(1 / (1 + Math.Exp(-1)), batch.Values[0], 2e-6); // 50 · 0.02 = 1
    }

    [Fact]
    public async Task Softmax_does_not_overflow_at_logit_scale_100()
    {
        // Logits ±100: a naive exp(100) overflows float (3.4e38 < 2.7e43).
        float[][] up = [[1, 0]];
        float[][] down = [[-1, 0]];
        float[][] images = [[1, 0], [-1, 0], [0, 1]];
        var batch = await ScoreAsync(new CalibratedScorer(), Request(up, down, images));

        Assert.Equal(1f, batch.Values[0]);           // 1 / (1 + e^−200)
        Assert.Equal(0f, batch.Values[1], 1e-30f);   // e^−200 underflows to 0
        Assert.Equal(0.5f, batch.Values[2], 1e-6f);  // both cosines 0
        Assert.All(batch.Values.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(21, 50, 3, 4)]
    [InlineData(22, 25, 1, 1)]
    [InlineData(23, 10, 2, 300)] // more prompts than the stack scratch holds
    public async Task Softmax_probability_matches_the_reference_and_the_two_sides_sum_to_1(int seed, int candidates, int positives, int negatives)
    {
        var (request, p, n, images) = ScoringReference.Random(seed, candidates, positives, negatives);
        var wanted = await ScoreAsync(new CalibratedScorer(), request);

        // The same prompts with the roles swapped: the mass on the negatives.
        var swapped = new ScoringRequest(
            new EncodedQuery(new ScoringQuery(request.Query.Query.Negative, request.Query.Query.Positive), request.Query.Negative, request.Query.Positive),
            request.Images, request.CandidateIds);
        var unwanted = await ScoreAsync(new CalibratedScorer(), swapped);

        for (var i = 0; i < candidates; i++)
        {
            Assert.Equal(SoftmaxProbability(images[i], p, n, 100), wanted.Values[i], 1e-5);
            Assert.InRange(wanted.Values[i], 0f, 1f);
            Assert.Equal(1.0, wanted.Values[i] + (double)unwanted.Values[i], 1e-5);
        }
    }

    [Fact]
    public void Softmax_over_all_prompts_sums_to_1()
    {
        var scratch = new float[8];
        float[] cosines = [0.31f, 0.27f, 0.29f, 0.22f, 0.35f];
        var total = 0.0;
        for (var k = 0; k < cosines.Length; k++)
        {
            // The probability of the first k + 1 prompts minus that of the first k is the softmax entry of prompt k.
            var upTo = CalibratedScorer.SoftmaxProbability(cosines, k + 1, 100, scratch);
            var before = k == 0 ? 0f : CalibratedScorer.SoftmaxProbability(cosines, k, 100, scratch);
            total += upTo - before;
        }

        Assert.Equal(1.0, total, 1e-6);
        Assert.Equal(1f, CalibratedScorer.SoftmaxProbability(cosines, cosines.Length, 100, scratch));
    }

    [Fact]
    public async Task Without_negatives_the_softmax_probability_is_1()
    {
        var batch = await ScoreAsync(new CalibratedScorer(), Request([[1, 0], [0, 1]], [], [[0.6f, 0.8f], [-1, 0]]));
        Assert.Equal([1f, 1f], batch.Values.ToArray());
    }

    [Fact]
    public async Task Sigmoid_mode_multiplies_the_best_positive_by_one_minus_the_best_negative()
    {
        // Scale 10, bias −2: the positive at cos 0.3 gives σ(1) = 0.7310586, the negative at cos 0.1 gives σ(−1) = 0.2689414.
        float[][] positives = [WithCosine(0.3, 1, D), WithCosine(0.2, 2, D)];
        float[][] negatives = [WithCosine(0.1, 3, D)];
        var scorer = new CalibratedScorer(new CalibratedScorerOptions { LogitScale = 10, LogitBias = -2 });

        var batch = await ScoreAsync(scorer, Request(positives, negatives, [[1, 0, 0, 0]]));
        Assert.Equal(0.7310586 * (1 - 0.2689414), batch.Values[0], 2e-6);

        var alone = await ScoreAsync(scorer, Request(positives, [], [[1, 0, 0, 0]]));
        Assert.Equal(0.7310586f, alone.Values[0], 2e-6f);
    }

    [Theory]
    [InlineData(31, 50, 3, 2)]
    [InlineData(32, 20, 2, 0)]
    public async Task Sigmoid_mode_matches_the_reference(int seed, int candidates, int positives, int negatives)
    {
        var (request, p, n, images) = ScoringReference.Random(seed, candidates, positives, negatives);
        var scorer = new CalibratedScorer(new CalibratedScorerOptions { LogitScale = 117.33f, LogitBias = -12.93f }); // SigLIP-like values
        var batch = await ScoreAsync(scorer, request);
        for (var i = 0; i < candidates; i++)
        {
            Assert.Equal(SigmoidProbability(images[i], p, n, 117.33, -12.93), batch.Values[i], 1e-5);
        }
    }

    [Fact]
    public void Options_come_from_the_encoder_metadata()
    {
        var siglip = CalibratedScorerOptions.FromEncoder(new EncoderMetadata("siglip", 768) { LogitScale = 117.33f, LogitBias = -12.93f });
        Assert.Equal(117.33f, siglip.LogitScale);
        Assert.Equal(-12.93f, siglip.LogitBias);

        var unknown = CalibratedScorerOptions.FromEncoder(new EncoderMetadata("clip", 512));
        Assert.Equal(100f, unknown.LogitScale);
        Assert.Null(unknown.LogitBias);
    }

    [Theory]
    [InlineData(0f, null, "CalibratedScorerOptions.LogitScale must be a finite number > 0, got 0.")]
    [InlineData(float.PositiveInfinity, null, "CalibratedScorerOptions.LogitScale must be a finite number > 0, got Infinity.")]
    [InlineData(100f, float.NaN, "CalibratedScorerOptions.LogitBias must be a finite number or null, got NaN.")]
    public void Bad_options_are_refused_with_a_clear_message(float scale, float? bias, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CalibratedScorer(new CalibratedScorerOptions { LogitScale = scale, LogitBias = bias }));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
