using RichScoring.Onnx.Preprocessing;
using RichScoring.Testing;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary>
/// Opt-in: with <c>RICHSCORING_CLIP_MODEL_DIR</c> pointing at a real openai/clip-vit-base-patch32 export (either
/// layout), the library must reproduce the Python reference logits for the golden image.
/// </summary>
public sealed class RealModelTests
{
    [Fact]
    public async Task Reproduces_the_reference_logits_of_openai_clip_vit_base_patch32()
    {
        var folder = Environment.GetEnvironmentVariable("RICHSCORING_CLIP_MODEL_DIR");
        if (string.IsNullOrWhiteSpace(folder))
        {
            Assert.Skip("Set RICHSCORING_CLIP_MODEL_DIR to a folder holding an openai/clip-vit-base-patch32 ONNX export to run this check.");
        }

        var image = await File.ReadAllBytesAsync(TestData.RequireFile("golden/franz-kafka.jpg"), TestContext.Current.CancellationToken);
        using var model = ClipModel.Load(folder, new OnnxModelOptions { ImageDecoding = ImageDecodeOptions.Reference });

        var texts = await model.TextEncoder.EncodeAsync(["a photo of a man", "a photo of a woman"], TestContext.Current.CancellationToken);
        var images = await model.ImageEncoder.EncodeAsync([new ImageInput("kafka", image)], TestContext.Current.CancellationToken);

        Assert.True(images.IsSuccess(0), images.GetError(0)?.Message);
        var scale = model.TextEncoder.Metadata.LogitScale ?? 100f;
        var man = scale * Numerics.EmbeddingMath.Dot(images.Embeddings.GetRow(0), texts.GetRow(0));
        var woman = scale * Numerics.EmbeddingMath.Dot(images.Embeddings.GetRow(0), texts.GetRow(1));
        TestContext.Current.TestOutputHelper?.WriteLine($"logits_per_image = [{man:F4}, {woman:F4}] (reference [27.8789, 23.3964])");
        Assert.Equal(27.8789, man, 0.1);
        Assert.Equal(23.3964, woman, 0.1);
    }
}
