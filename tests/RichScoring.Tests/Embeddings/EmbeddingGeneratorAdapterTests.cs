using Microsoft.Extensions.AI;

namespace RichScoring.Tests.Embeddings;

public class EmbeddingGeneratorAdapterTests
{
    [Fact]
    public async Task Generates_one_embedding_per_text_in_order_with_the_model_id()
    {
        using var encoder = new CharacterHistogramEncoder();
        using var generator = encoder.AsEmbeddingGenerator();

        var result = await generator.GenerateAsync(["duck", "goose", ""], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Count);
        Assert.Equal(CharacterHistogramEncoder.Expected("duck"), result[0].Vector.ToArray());
        Assert.Equal(CharacterHistogramEncoder.Expected("goose"), result[1].Vector.ToArray());
        Assert.All(result, e => Assert.Equal(CharacterHistogramEncoder.ModelId, e.ModelId));
        Assert.Equal(1, encoder.Calls); // one batch call, not one per text
    }

    [Fact]
    public async Task Works_through_the_Microsoft_Extensions_AI_single_value_extension()
    {
        using var encoder = new CharacterHistogramEncoder();
        var generator = encoder.AsEmbeddingGenerator();

        var vector = await generator.GenerateVectorAsync("abc", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(CharacterHistogramEncoder.Expected("abc"), vector.ToArray());
    }

    [Fact]
    public void Reports_metadata_from_the_encoder()
    {
        using var encoder = new CharacterHistogramEncoder();
        var generator = encoder.AsEmbeddingGenerator();

        var meta = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(meta);
        Assert.Equal(CharacterHistogramEncoder.ModelId, meta.DefaultModelId);
        Assert.Equal(CharacterHistogramEncoder.Dimension, meta.DefaultModelDimensions);
        Assert.Equal("test", meta.ProviderName);
        Assert.Same(encoder, generator.GetService<CharacterHistogramEncoder>()); // falls through to the encoder
    }

    [Fact]
    public async Task Refuses_a_dimension_the_model_does_not_produce()
    {
        using var encoder = new CharacterHistogramEncoder();
        var generator = encoder.AsEmbeddingGenerator();

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() =>
            generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 512 }, TestContext.Current.CancellationToken));
        Assert.Contains("26-dimensional", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_the_generator_leaves_the_shared_encoder_alive()
    {
        using var encoder = new CharacterHistogramEncoder();
        encoder.AsEmbeddingGenerator().Dispose();
        Assert.False(encoder.Disposed);
    }
}
