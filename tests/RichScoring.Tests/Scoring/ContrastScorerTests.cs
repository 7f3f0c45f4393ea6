using static RichScoring.Tests.Scoring.ScoringReference;

namespace RichScoring.Tests.Scoring;

public class ContrastScorerTests
{
    // Positives along x and y, the negative along z: cosines are the images' coordinates.
    private static readonly float[][] Positives = [[1, 0, 0], [0, 1, 0]];
    private static readonly float[][] Negatives = [[0, 0, 1]];

    [Fact]
    public async Task Hard_contrast_is_best_positive_minus_best_negative()
    {
        float[][] images = [[0.6f, 0.8f, 0], [0.6f, 0, 0.8f], [0, 0.6f, 0.8f]];
        var batch = await ScoreAsync(new ContrastScorer(), Request(Positives, Negatives, images));

        Assert.Equal(3, batch.Count);
        Assert.Equal(0.8f, batch.Values[0], 1e-6f);   // 0.8 − 0
        Assert.Equal(-0.2f, batch.Values[1], 1e-6f);  // 0.6 − 0.8
        Assert.Equal(-0.2f, batch.Values[2], 1e-6f);  // 0.6 − 0.8

        var first = batch.Breakdowns[0];
        Assert.Equal(1, first.BestPositive!.Index);
        Assert.Equal("p1", first.BestPositive.Prompt);
        Assert.Equal(0.8f, first.BestPositive.Similarity, 1e-6f);
        Assert.Equal(0, first.BestNegative!.Index);
        Assert.Equal("n0", first.BestNegative.Prompt);
        Assert.Equal(0f, first.BestNegative.Similarity, 1e-6f);
        var component = Assert.Single(first.Components);
        Assert.Equal(ContrastScorer.ComponentName, component.Name);
        Assert.Equal("clip.contrast", component.Name);
        Assert.Equal(batch.Values[0], component.Value);
        Assert.Equal(1f, component.Weight);
        Assert.Null(first.RejectionReason);

        Assert.Equal(0, batch.Breakdowns[1].BestPositive!.Index);
        Assert.Equal(0.8f, batch.Breakdowns[1].BestNegative!.Similarity, 1e-6f);
    }

    [Fact]
    public async Task Without_negatives_the_score_is_the_best_positive_cosine()
    {
        float[][] images = [[0.6f, 0.8f, 0], [0, 0, 1]];
        var batch = await ScoreAsync(new ContrastScorer(), Request(Positives, [], images));

        Assert.Equal(0.8f, batch.Values[0], 1e-6f);
        Assert.Equal(0f, batch.Values[1], 1e-6f);
        Assert.Null(batch.Breakdowns[0].BestNegative);
    }

    [Fact]
    public async Task Unnormalized_images_are_compared_by_cosine_and_left_untouched()
    {
        float[][] images = [[3f, 4f, 0], [0, 0, 0]];
        var request = Request(Positives, Negatives, images, normalized: false);
        var before = request.Images.Span.ToArray();

        var batch = await ScoreAsync(new ContrastScorer(), request);

        Assert.Equal(0.8f, batch.Values[0], 1e-6f);
        Assert.Equal(0f, batch.Values[1]); // a zero image has cosine 0 with everything, as EmbeddingMath.Cosine says
        Assert.Equal(before, request.Images.Span.ToArray());
        Assert.False(request.Images.IsNormalized);
    }

    [Theory]
    [InlineData(1, 50, 3, 4)]
    [InlineData(2, 17, 1, 0)]
    [InlineData(3, 40, 5, 1)]
    [InlineData(4, 1, 2, 6)]
    public async Task Hard_contrast_matches_the_reference(int seed, int candidates, int positives, int negatives)
    {
        var (request, p, n, images) = ScoringReference.Random(seed, candidates, positives, negatives);
        var batch = await ScoreAsync(new ContrastScorer(), request);

        for (var i = 0; i < candidates; i++)
        {
            Assert.Equal(Contrast(images[i], p, n), batch.Values[i], 2e-6);
            var cos = Cosines(images[i], p);
            var best = Array.IndexOf(cos, cos.Max());
            Assert.Equal(best, batch.Breakdowns[i].BestPositive!.Index);
            Assert.Equal(cos[best], batch.Breakdowns[i].BestPositive!.Similarity, 2e-6);
        }
    }

    [Fact]
    public async Task Smooth_contrast_matches_a_hand_computed_value()
    {
        // T = 0.1: 0.1·ln(e^6 + e^8) = 0.8 + 0.1·ln(1 + e^−2) = 0.81269280; the single negative gives exactly its cosine 0.
        var scorer = new ContrastScorer(new ContrastScorerOptions { Smooth = true, Temperature = 0.1f });
        var batch = await ScoreAsync(scorer, Request(Positives, Negatives, [[0.6f, 0.8f, 0]]));

        Assert.Equal(0.8126928f, batch.Values[0], 1e-6f);
        Assert.Equal(0.8f, batch.Breakdowns[0].BestPositive!.Similarity, 1e-6f); // the breakdown keeps the raw cosine
    }

    [Theory]
    [InlineData(5, 50, 4, 3, 0.01f)]
    [InlineData(6, 30, 1, 2, 0.05f)]
    [InlineData(7, 20, 300, 2, 0.01f)] // more prompts than the stack scratch holds
    public async Task Smooth_contrast_matches_the_reference(int seed, int candidates, int positives, int negatives, float t)
    {
        var (request, p, n, images) = ScoringReference.Random(seed, candidates, positives, negatives);
        var batch = await ScoreAsync(new ContrastScorer(new() { Smooth = true, Temperature = t }), request);

        for (var i = 0; i < candidates; i++)
        {
            Assert.Equal(SmoothContrast(images[i], p, n, t), batch.Values[i], 1e-5);
        }
    }

    [Fact]
    public async Task Smooth_contrast_tends_to_hard_contrast_as_the_temperature_falls()
    {
        var (request, _, _, _) = ScoringReference.Random(8, 40, 4, 3);
        var hard = (await ScoreAsync(new ContrastScorer(), request)).Values.ToArray();
        var gap = double.PositiveInfinity;
        foreach (var t in new[] { 0.1f, 0.01f, 0.001f, 0.0001f, 0.00001f })
        {
            var smooth = (await ScoreAsync(new ContrastScorer(new() { Smooth = true, Temperature = t }), request)).Values.ToArray();
            gap = 0.0;
            for (var i = 0; i < hard.Length; i++)
            {
                // Each smooth maximum lies in [max, max + T·ln k], so the difference of two lies within these bounds.
                var d = smooth[i] - hard[i];
                Assert.InRange(d, (-t * Math.Log(3)) - 1e-6, (t * Math.Log(4)) + 1e-6);
                gap = Math.Max(gap, Math.Abs(d));
            }
        }

        Assert.True(gap < 2e-5, $"at T = 1e-5 the smooth contrast still differs by {gap}");
    }

    [Fact]
    public void The_smooth_maximum_is_at_least_the_maximum_and_at_most_max_plus_T_ln_k()
    {
        var random = new Random(9);
        var scratch = new float[16];
        foreach (var t in new[] { 1f, 0.1f, 0.01f, 1e-4f, 1e-6f })
        {
            for (var trial = 0; trial < 50; trial++)
            {
                var k = random.Next(1, 17);
                var x = Enumerable.Range(0, k).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
                var soft = ContrastScorer.SoftMaximum(x, t, scratch);
                var max = x.Max();
                Assert.True(soft >= max - 1e-6f, $"T = {t}: soft max {soft} < max {max}");
                Assert.True(soft <= max + (t * Math.Log(k)) + 1e-6, $"T = {t}: soft max {soft} > max + T ln k");
            }
        }

        // Equal values reach the upper bound exactly: T·ln k above the maximum.
        Assert.Equal(0.3 + (0.01 * Math.Log(4)), ContrastScorer.SoftMaximum([0.3f, 0.3f, 0.3f, 0.3f], 0.01f, scratch), 1e-6);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.01f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_bad_temperature_is_refused_with_a_clear_message(float t)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ContrastScorer(new ContrastScorerOptions { Temperature = t }));
        Assert.StartsWith("ContrastScorerOptions.Temperature must be a finite number > 0, got ", ex.Message, StringComparison.Ordinal);
        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public async Task Options_are_copied_when_the_scorer_is_created()
    {
        var options = new ContrastScorerOptions();
        var scorer = new ContrastScorer(options);
        options.Smooth = true;
        options.Temperature = 1f;

        var batch = await ScoreAsync(scorer, Request(Positives, Negatives, [[0.6f, 0.8f, 0]]));
        Assert.Equal(0.8f, batch.Values[0], 1e-6f);
    }
}
