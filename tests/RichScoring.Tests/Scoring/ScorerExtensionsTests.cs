namespace RichScoring.Tests.Scoring;

public class ScorerExtensionsTests
{
    [Fact]
    public void GetService_returns_the_scorer_itself_for_its_own_type()
    {
        var contrast = new ContrastScorer();
        Assert.Same(contrast, contrast.GetService<ContrastScorer>());
        Assert.Same(contrast, contrast.GetService<IScorer>());

        IScorer clipScore = new ClipScoreScorer();
        Assert.Same(clipScore, clipScore.GetService<ClipScoreScorer>());
    }

    [Fact]
    public void GetService_returns_null_for_an_unrelated_type_or_a_key()
    {
        IScorer scorer = new ContrastScorer();
        Assert.Null(scorer.GetService<ClipScoreScorer>());
        Assert.Null(scorer.GetService<IDeduplicator>());
        Assert.Null(scorer.GetService<ContrastScorer>(serviceKey: "other"));
    }

    [Fact]
    public void GetService_reaches_what_a_composite_scorer_wraps()
    {
        var contrast = new ContrastScorer();
        IScorer weighted = new WeightedScorer([new("clip", contrast), new("heuristics", new HeuristicScorer())]);
        Assert.Same(weighted, weighted.GetService<WeightedScorer>());
        Assert.Same(contrast, weighted.GetService<ContrastScorer>());
        Assert.Null(weighted.GetService<ClipScoreScorer>());
    }

    [Fact]
    public void GetService_rejects_a_null_scorer()
    {
        IScorer scorer = null!;
        Assert.Equal("scorer", Assert.Throws<ArgumentNullException>(() => scorer.GetService<ContrastScorer>()).ParamName);
    }
}
