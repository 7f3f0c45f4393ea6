using static RichScoring.Tests.Scoring.ScoringReference;

namespace RichScoring.Tests.Scoring;

public class HeuristicScorerTests
{
    private static ImageMetadata Size(int width, int height) => new() { Width = width, Height = height };

    private static ImageMetadata From(string host) => new() { SourceDomain = host };

    [Fact]
    public void Defaults_filter_small_and_narrow_images_and_nothing_else()
    {
        var scorer = new HeuristicScorer();

        Assert.Equal("shortest side 120 px < 200", scorer.Evaluate(Size(120, 300)).RejectionReason);
        Assert.Equal("aspect ratio 4.2 > 3", scorer.Evaluate(Size(840, 200)).RejectionReason);
        Assert.Equal("shortest side 100 px < 200; aspect ratio 5 > 3", scorer.Evaluate(Size(500, 100)).RejectionReason);

        var fine = scorer.Evaluate(Size(640, 480) with { ByteLength = 100, SourceDomain = "anywhere.example" });
        Assert.False(fine.IsRejected);
        Assert.Null(fine.RejectionReason);
        Assert.Equal(0f, fine.Score);
        Assert.Empty(fine.Components);
    }

    [Fact]
    public void Boundary_values_pass()
    {
        var scorer = new HeuristicScorer(new HeuristicOptions { BytesMode = HeuristicMode.Filter });
        Assert.False(scorer.Evaluate(Size(200, 200)).IsRejected);
        Assert.False(scorer.Evaluate(Size(600, 200)).IsRejected);  // ratio exactly 3
        Assert.False(scorer.Evaluate(new ImageMetadata { ByteLength = 10 * 1024 }).IsRejected);
        Assert.Equal("shortest side 199 px < 200", scorer.Evaluate(Size(199, 300)).RejectionReason);
        Assert.Equal("aspect ratio 3.01 > 3", scorer.Evaluate(Size(602, 200)).RejectionReason);
        Assert.Equal("aspect ratio 3.0001 > 3", scorer.Evaluate(Size(30001, 10000)).RejectionReason); // never "3 > 3"
        Assert.Equal("file 9.99 KB < 10 KB", scorer.Evaluate(new ImageMetadata { ByteLength = (10 * 1024) - 1 }).RejectionReason);
    }

    [Fact]
    public void Unknown_metadata_never_rejects()
    {
        var options = new HeuristicOptions { BytesMode = HeuristicMode.Filter, PreferHigherResolution = true };
        options.AllowedDomains.Add("example.com");
        options.DeniedDomains.Add("bad.example");
        var scorer = new HeuristicScorer(options);

        foreach (var metadata in new ImageMetadata?[]
        {
            null,
            new(),
            new() { Width = 50 },                    // height unknown
            new() { Height = 50 },
            new() { Width = 0, Height = 900 },       // broken sizes count as unknown
            new() { ByteLength = -1 },
            new() { Source = new Uri("file:///tmp/duck.jpg") }, // a local file has no domain
        })
        {
            var verdict = scorer.Evaluate(metadata);
            Assert.False(verdict.IsRejected, $"{metadata} was rejected: {verdict.RejectionReason}");
            Assert.Equal(0f, verdict.Score); // the resolution bonus is 0 when the size is unknown
        }
    }

    [Fact]
    public void Bytes_filter_reads_kilobytes()
    {
        var scorer = new HeuristicScorer(new HeuristicOptions { BytesMode = HeuristicMode.Filter });
        Assert.Equal("file 3 KB < 10 KB", scorer.Evaluate(new ImageMetadata { ByteLength = 3 * 1024 }).RejectionReason);
        Assert.Equal("file 512 B < 10 KB", scorer.Evaluate(new ImageMetadata { ByteLength = 512 }).RejectionReason);
        Assert.False(scorer.Evaluate(new ImageMetadata { ByteLength = 2_000_000 }).IsRejected);
    }

    [Fact]
    public void Each_size_rule_as_a_score_term_subtracts_how_far_the_image_falls_short()
    {
        var scorer = new HeuristicScorer(new HeuristicOptions
        {
            ShortestSideMode = HeuristicMode.Score,
            AspectRatioMode = HeuristicMode.Score,
            BytesMode = HeuristicMode.Score,
        });

        var verdict = scorer.Evaluate(Size(720, 120) with { ByteLength = 2560 });
        Assert.False(verdict.IsRejected);
        Assert.Collection(
            verdict.Components,
            c => Assert.Equal(("heuristics.shortest-side", -0.4f), (c.Name, c.Value)), // 1 − 120/200
            c => Assert.Equal(("heuristics.aspect-ratio", -0.5f), (c.Name, c.Value)),  // 1 − 3/6
            c => Assert.Equal(("heuristics.bytes", -0.75f), (c.Name, c.Value)));       // 1 − 2.5/10
        Assert.Equal(-1.65f, verdict.Score, 1e-6f);

        var good = scorer.Evaluate(Size(800, 600) with { ByteLength = 50_000 });
        Assert.Equal([0f, 0f, 0f], good.Components.Select(c => c.Value));
        Assert.Equal(0f, good.Score);
    }

    [Fact]
    public void Off_rules_are_not_evaluated()
    {
        var scorer = new HeuristicScorer(new HeuristicOptions { ShortestSideMode = HeuristicMode.Off, AspectRatioMode = HeuristicMode.Off });
        var verdict = scorer.Evaluate(Size(10, 1000));
        Assert.False(verdict.IsRejected);
        Assert.Empty(verdict.Components);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("img.example.com", true)]
    [InlineData("a.b.example.com", true)]
    [InlineData("IMG.Example.COM.", true)]
    [InlineData("example.com:8080", true)]
    [InlineData("badexample.com", false)]
    [InlineData("example.com.evil.org", false)]
    [InlineData("com", false)]
    public void Domains_match_themselves_and_their_subdomains(string host, bool denied)
    {
        var options = new HeuristicOptions();
        options.DeniedDomains.Add("example.com");
        var verdict = new HeuristicScorer(options).Evaluate(From(host));
        Assert.Equal(denied, verdict.IsRejected);
    }

    [Fact]
    public void Domain_lists_give_readable_reasons()
    {
        var options = new HeuristicOptions();
        options.AllowedDomains.Add("*.wikimedia.org");
        options.AllowedDomains.Add("example.com");
        options.DeniedDomains.Add("ads.example.com");
        var scorer = new HeuristicScorer(options);

        Assert.Equal("domain x.org is not in the allow list", scorer.Evaluate(From("x.org")).RejectionReason);
        Assert.Equal("domain ads.example.com is denied", scorer.Evaluate(From("ads.example.com")).RejectionReason);
        Assert.Equal("domain cdn.ads.example.com is denied (ads.example.com)", scorer.Evaluate(From("cdn.ads.example.com")).RejectionReason);
        Assert.False(scorer.Evaluate(From("upload.wikimedia.org")).IsRejected);
        Assert.False(scorer.Evaluate(From("example.com")).IsRejected);

        // The host of a web source is used when the domain is not given.
        Assert.True(scorer.Evaluate(new ImageMetadata { Source = new Uri("https://x.org/duck.jpg") }).IsRejected);
    }

    [Fact]
    public void Domain_lists_as_score_terms_subtract_1()
    {
        var options = new HeuristicOptions { AllowedDomainsMode = HeuristicMode.Score, DeniedDomainsMode = HeuristicMode.Score };
        options.AllowedDomains.Add("example.com");
        options.DeniedDomains.Add("spam.example.com");
        var scorer = new HeuristicScorer(options);

        var outside = scorer.Evaluate(From("x.org"));
        Assert.False(outside.IsRejected);
        Assert.Equal(-1f, outside.Score);
        Assert.Equal(-1f, outside.Components.Single(c => c.Name == "heuristics.allowed-domain").Value);

        var spam = scorer.Evaluate(From("spam.example.com"));
        Assert.Equal(-1f, spam.Components.Single(c => c.Name == "heuristics.denied-domain").Value);
        Assert.Equal(0f, spam.Components.Single(c => c.Name == "heuristics.allowed-domain").Value);

        Assert.Equal(0f, scorer.Evaluate(From("www.example.com")).Score);
        Assert.Equal(0f, scorer.Evaluate(null).Score);
    }

    [Fact]
    public void Domain_weights_take_the_most_specific_entry()
    {
        var options = new HeuristicOptions();
        options.DomainWeights["example.com"] = 0.2f;
        options.DomainWeights["stock.example.com"] = 0.5f;
        options.DomainWeights["pinterest.com"] = -0.3f;
        var scorer = new HeuristicScorer(options);

        Assert.Equal(0.5f, scorer.Evaluate(From("img.stock.example.com")).Score);
        Assert.Equal(0.2f, scorer.Evaluate(From("www.example.com")).Score);
        Assert.Equal(-0.3f, scorer.Evaluate(From("i.pinterest.com")).Score);
        Assert.Equal(0f, scorer.Evaluate(From("other.org")).Score);
        Assert.Equal("heuristics.domain-weight", Assert.Single(scorer.Evaluate(From("other.org")).Components).Name);
    }

    [Theory]
    [InlineData(200, 200, 0.0)]      // 0.04 MP = 4 MP / 100
    [InlineData(632, 633, 0.5)]      // ≈ 0.4 MP
    [InlineData(2000, 2000, 1.0)]    // 4 MP
    [InlineData(8000, 6000, 1.0)]    // saturated
    [InlineData(100, 100, 0.0)]      // below the floor: clamped
    [InlineData(1024, 768, 0.6468)]  // 1 + log10(0.786432 / 4) / 2
    public void Resolution_bonus_rises_with_log_megapixels_and_saturates(int width, int height, double expected)
    {
        var scorer = new HeuristicScorer(new HeuristicOptions
        {
            PreferHigherResolution = true,
            ShortestSideMode = HeuristicMode.Off,
        });
        var verdict = scorer.Evaluate(Size(width, height));
        Assert.Equal(expected, verdict.Score, 1e-3);
        Assert.Equal("heuristics.resolution", Assert.Single(verdict.Components).Name);
    }

    [Fact]
    public void Resolution_bonus_is_monotonic()
    {
        var previous = -1.0;
        for (var mp = 0.001; mp < 100; mp *= 1.5)
        {
            var bonus = HeuristicScorer.ResolutionBonus(mp, 4);
            Assert.InRange(bonus, previous, 1.0);
            previous = bonus;
        }
    }

    [Fact]
    public async Task The_scorer_applies_the_rules_to_the_request_metadata()
    {
        var scorer = new HeuristicScorer(new HeuristicOptions { PreferHigherResolution = true });
        float[][] images = [[1, 0], [1, 0], [1, 0]];
        var request = Request([[1, 0]], [], images, [Size(2000, 2000), Size(100, 100), null]);

        var batch = await ScoreAsync(scorer, request);

        Assert.Equal([1f, 0f, 0f], batch.Values.ToArray());
        Assert.Null(batch.Breakdowns[0].RejectionReason);
        Assert.Equal("shortest side 100 px < 200", batch.Breakdowns[1].RejectionReason);
        Assert.Null(batch.Breakdowns[2].RejectionReason);
        Assert.Null(batch.Breakdowns[0].BestPositive); // heuristics do not look at prompts
        Assert.Equal("heuristics.resolution", Assert.Single(batch.Breakdowns[0].Components).Name);

        // Without any metadata every candidate passes.
        var bare = await ScoreAsync(scorer, Request([[1, 0]], [], images));
        Assert.All(bare.Breakdowns, b => Assert.Null(b.RejectionReason));
    }

    [Fact]
    public void Options_are_copied_when_the_scorer_is_created()
    {
        var options = new HeuristicOptions();
        var scorer = new HeuristicScorer(options);
        options.MinShortestSide = 1000;
        options.DeniedDomains.Add("example.com");
        Assert.False(scorer.Evaluate(Size(500, 500) with { SourceDomain = "example.com" }).IsRejected);
        Assert.False(scorer.HasScoreTerms);
        Assert.True(new HeuristicScorer(new HeuristicOptions { PreferHigherResolution = true }).HasScoreTerms);
    }

    public static TheoryData<Action<HeuristicOptions>, string> BadOptions => new()
    {
        { o => o.MinShortestSide = -1, "HeuristicOptions: MinShortestSide must be ≥ 0, got -1." },
        { o => o.MaxAspectRatio = 0.5, "HeuristicOptions: MaxAspectRatio must be a finite number ≥ 1, got 0.5." },
        { o => o.MaxAspectRatio = double.NaN, "HeuristicOptions: MaxAspectRatio must be a finite number ≥ 1, got NaN." },
        { o => o.MinBytes = -5, "HeuristicOptions: MinBytes must be ≥ 0, got -5." },
        { o => o.FullResolutionMegapixels = 0, "HeuristicOptions: FullResolutionMegapixels must be a finite number > 0, got 0." },
        { o => o.BytesMode = (HeuristicMode)7, "HeuristicOptions: BytesMode must be Off, Filter or Score, got 7." },
        { o => o.DeniedDomains.Add("https://example.com/x"), "HeuristicOptions.DeniedDomains: 'https://example.com/x' is not a domain; give a host name such as 'example.com'." },
        { o => o.AllowedDomains.Add(" "), "HeuristicOptions.AllowedDomains: ' ' is not a domain" },
        { o => { o.AllowedDomains.Add("Example.com"); o.DeniedDomains.Add("example.com."); }, "HeuristicOptions: domain 'example.com' is both in AllowedDomains and in DeniedDomains." },
        { o => o.DomainWeights["x.org"] = float.PositiveInfinity, "HeuristicOptions: DomainWeights['x.org'] must be a finite number, got Infinity." },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_refused_with_a_clear_message(Action<HeuristicOptions> configure, string message)
    {
        var options = new HeuristicOptions();
        configure(options);
        var ex = Assert.Throws<ArgumentException>(() => new HeuristicScorer(options));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal("options", ex.ParamName);
    }
}
