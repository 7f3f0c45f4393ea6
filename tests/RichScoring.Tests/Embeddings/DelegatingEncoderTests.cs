namespace RichScoring.Tests.Embeddings;

public class DelegatingEncoderTests
{
    private sealed class CountingEncoder(ITextEncoder inner) : DelegatingTextEncoder(inner)
    {
        public int Texts { get; private set; }

        public override Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Texts += texts.Count;
            return base.EncodeAsync(texts, cancellationToken);
        }
    }

    [Fact]
    public async Task Forwards_calls_and_adds_its_behaviour()
    {
        var inner = new CharacterHistogramEncoder();
        using var outer = new CountingEncoder(inner);

        var batch = await outer.EncodeAsync(["ab", "cd"], TestContext.Current.CancellationToken);

        Assert.Equal(2, outer.Texts);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(CharacterHistogramEncoder.Expected("cd"), batch.GetRow(1).ToArray());
    }

    [Fact]
    public void GetService_finds_the_outer_layer_first_then_the_inner_one()
    {
        var inner = new CharacterHistogramEncoder();
        using var outer = new CountingEncoder(inner);

        Assert.Same(outer, outer.GetService<CountingEncoder>());
        Assert.Same(inner, outer.GetService<CharacterHistogramEncoder>());
        Assert.Equal(CharacterHistogramEncoder.ModelId, outer.GetMetadata().ModelId);
        Assert.Null(outer.GetService<CharacterHistogramEncoder>(serviceKey: "other"));
    }

    [Fact]
    public void Disposing_the_outer_layer_disposes_the_inner_one()
    {
        var inner = new CharacterHistogramEncoder();
        new CountingEncoder(inner).Dispose();
        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task Single_text_extension_returns_the_row()
    {
        using var encoder = new CharacterHistogramEncoder();
        var vector = await encoder.EncodeAsync("zz", TestContext.Current.CancellationToken);
        Assert.Equal(CharacterHistogramEncoder.Expected("zz"), vector);
    }
}
