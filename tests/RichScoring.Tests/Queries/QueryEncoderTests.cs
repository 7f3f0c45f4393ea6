using RichScoring.Tests.Embeddings;

namespace RichScoring.Tests.Queries;

public class QueryEncoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Concepts_expand_through_their_templates()
    {
        var set = new PromptTemplateSet("t", ["a photo of a {}.", "a {} from the side."]);
        var concept = Prompt.Concept("duck", set);

        Assert.Equal(["a photo of a duck.", "a duck from the side."], concept.Expand());
        Assert.True(concept.IsConcept);
        Assert.Equal(["a rubber duck"], ((Prompt)"a rubber duck").Expand());
        Assert.Equal("duck (t, 2 templates)", concept.ToString());
        Assert.Equal(7, Prompt.Concept("duck").Expand().Count); // the default set
    }

    [Fact]
    public void Templates_must_hold_one_placeholder()
    {
        Assert.Throws<ArgumentException>(() => new PromptTemplateSet("t", ["no placeholder"]));
        Assert.Throws<ArgumentException>(() => new PromptTemplateSet("t", ["{} and {}"]));
        Assert.Throws<ArgumentException>(() => new PromptTemplateSet("t", []));
        Assert.Throws<ArgumentException>(() => Prompt.Text("  "));
    }

    [Fact]
    public async Task A_concept_is_the_renormalized_mean_of_its_template_embeddings()
    {
        using var encoder = new CharacterHistogramEncoder();
        var set = new PromptTemplateSet("t", ["aaa {}", "bbb {}"]);
        var query = new ScoringQuery([Prompt.Concept("z", set), "ccc"], [Prompt.Text("ddd")]);

        var encoded = await new QueryEncoder(encoder).EncodeAsync(query, Ct);

        // Reference: average of the two template vectors, renormalized, in double precision.
        var a = CharacterHistogramEncoder.Expected("aaa z");
        var b = CharacterHistogramEncoder.Expected("bbb z");
        var mean = a.Zip(b, (x, y) => (x + (double)y) / 2).ToArray();
        var norm = Math.Sqrt(mean.Sum(x => x * x));
        for (var i = 0; i < CharacterHistogramEncoder.Dimension; i++)
        {
            Assert.Equal(mean[i] / norm, encoded.Positive.GetRow(0)[i], 6);
        }

        Assert.Equal(CharacterHistogramEncoder.Expected("ccc"), encoded.Positive.GetRow(1).ToArray());
        Assert.Equal(CharacterHistogramEncoder.Expected("ddd"), encoded.Negative.GetRow(0).ToArray());
        Assert.Equal(1, encoder.Calls); // every distinct text in one batch
    }

    [Fact]
    public async Task The_text_cache_encodes_each_text_once_per_model()
    {
        var inner = new CharacterHistogramEncoder();
        using var cached = new CachingTextEncoder(inner, capacity: 3);

        var first = await cached.EncodeAsync(["abc", "xyz"], Ct);
        var second = await cached.EncodeAsync(["xyz", "abc", "new"], Ct);

        Assert.Equal(2, inner.Calls); // the second call only sent "new"
        Assert.Equal(2, cached.Hits);
        Assert.Equal(3, cached.Misses);
        Assert.Equal(first.GetRow(0).ToArray(), second.GetRow(1).ToArray());
        Assert.Equal(CharacterHistogramEncoder.Expected("new"), second.GetRow(2).ToArray());
        Assert.Equal(CharacterHistogramEncoder.ModelId, second.ModelId);

        // Capacity 3: "def" evicts the least recently used ("xyz" was used before "abc" and "new").
        await cached.EncodeAsync(["def"], Ct);
        await cached.EncodeAsync(["xyz"], Ct);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task The_cache_is_safe_under_concurrent_use()
    {
        var inner = new CharacterHistogramEncoder();
        using var cached = new CachingTextEncoder(inner);
        string[] texts = ["alpha", "beta", "gamma", "delta"];

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => cached.EncodeAsync([texts[i % 4], texts[(i + 1) % 4]], Ct), Ct)));

        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(CharacterHistogramEncoder.Expected(texts[i % 4]), results[i].GetRow(0).ToArray());
        }
    }
}
