using RichScoring.Tests.Embeddings;
using static RichScoring.Tests.Scoring.ScoringReference;

namespace RichScoring.Tests.Scoring;

public class ClipScoreScorerTests
{
    private static readonly float[][] Positives = [[1, 0, 0], [0, 1, 0]];
    private static readonly float[][] Negatives = [[0, 0, 1]];

    [Fact]
    public async Task ClipScore_is_100_times_the_best_positive_cosine_clamped_at_0()
    {
        float[][] images = [[0.6f, 0.8f, 0], [0.28f, 0, 0.96f], [-0.6f, -0.8f, 0]];
        var batch = await ScoreAsync(new ClipScoreScorer(), Request(Positives, Negatives, images));

        Assert.Equal(80f, batch.Values[0], 1e-4f);
        Assert.Equal(28f, batch.Values[1], 1e-4f); // the negative (0.96) does not enter CLIPScore
        Assert.Equal(0f, batch.Values[2]);         // best positive cosine 0 → max(0, 0); negative cosines clamp to 0 too
        var breakdown = batch.Breakdowns[1];
        Assert.Equal("clip.score", Assert.Single(breakdown.Components).Name);
        Assert.Equal(0, breakdown.BestPositive!.Index);
        Assert.Equal(0.96f, breakdown.BestNegative!.Similarity, 1e-6f); // reported, though not scored
    }

    [Fact]
    public async Task A_wholly_dissimilar_image_scores_0_not_a_negative_number()
    {
        var batch = await ScoreAsync(new ClipScoreScorer(), Request([[1, 0]], [], [[-1, 0], [-0.6f, 0.8f]]));
        Assert.Equal(0f, batch.Values[0]);
        Assert.Equal(0f, batch.Values[1]);
        Assert.Equal(-0.6f, batch.Breakdowns[1].BestPositive!.Similarity, 1e-6f);
    }

    [Fact]
    public async Task The_factor_can_be_the_papers_2_5()
    {
        var scorer = new ClipScoreScorer(new ClipScoreScorerOptions { Scale = 2.5f });
        var batch = await ScoreAsync(scorer, Request(Positives, [], [[0.6f, 0.8f, 0]]));
        Assert.Equal(2f, batch.Values[0], 1e-6f);
    }

    [Theory]
    [InlineData(11, 50, 3, 2)]
    [InlineData(12, 33, 1, 0)]
    public async Task ClipScore_matches_the_reference(int seed, int candidates, int positives, int negatives)
    {
        var (request, p, _, images) = ScoringReference.Random(seed, candidates, positives, negatives);
        var batch = await ScoreAsync(new ClipScoreScorer(), request);
        for (var i = 0; i < candidates; i++)
        {
            Assert.Equal(ClipScore(images[i], p), batch.Values[i], 2e-4);
        }
    }

    [Fact]
    public async Task Works_on_prompts_from_a_real_encoder_and_labels_concepts()
    {
        // The character-histogram encoder stands in for CLIP: an "image" is the embedding of a text, so the cosines are
        // those between letter histograms, computed independently here.
        var encoder = new CharacterHistogramEncoder();
        var query = new ScoringQuery([Prompt.Text("red"), Prompt.Concept("duck", PromptTemplateSet.OnePhoto)], ["blue"]);
        var encoded = await new QueryEncoder(encoder).EncodeAsync(query, TestContext.Current.CancellationToken);
        var images = await encoder.EncodeAsync(["red", "a photo of a duck.", "zzz"], TestContext.Current.CancellationToken);
        var request = new ScoringRequest(encoded, images, ["red", "duck", "zzz"]);

        var batch = await ScoreAsync(new ClipScoreScorer(), request);

        Assert.Equal(100f, batch.Values[0], 1e-3f);
        Assert.Equal("red", batch.Breakdowns[0].BestPositive!.Prompt);
        Assert.Equal(100f, batch.Values[1], 1e-3f);
        Assert.Equal("duck (one-photo, 1 templates)", batch.Breakdowns[1].BestPositive!.Prompt);
        Assert.Equal(0f, batch.Values[2]);
        var expected = Cosine(CharacterHistogramEncoder.Expected("red"), CharacterHistogramEncoder.Expected("blue"));
        Assert.Equal(expected, batch.Breakdowns[0].BestNegative!.Similarity, 1e-6);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-100f)]
    [InlineData(float.NaN)]
    public void A_bad_factor_is_refused(float scale)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ClipScoreScorer(new ClipScoreScorerOptions { Scale = scale }));
        Assert.StartsWith("ClipScoreScorerOptions.Scale must be a finite number > 0", ex.Message, StringComparison.Ordinal);
    }
}
