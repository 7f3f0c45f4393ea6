using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Http.Tests.Fakes;

/// <summary>
/// Stand-in encoders for end-to-end runs of the real pipeline: what is under test is acquisition, so embeddings are
/// fixed vectors, but images are identified by the real header reader (sizes, formats, corrupt files).
/// </summary>
internal static class FakeEncoders
{
    public const int Dimension = 4;

    private static readonly EncoderMetadata Metadata = new("test/fake", Dimension);

    public static ScoringPipelineBuilder Builder() => Configure(new ScoringPipelineBuilder());

    public static ScoringPipelineBuilder Configure(ScoringPipelineBuilder builder) =>
        builder
            .UseEncoders(new TextEncoder(), new ImageEncoder())
            .WithPositive("a photo of a duck")
            .WithNegative("a rubber duck")
            .TopK(1000);

    private sealed class TextEncoder : ITextEncoder
    {
        public Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            var batch = EmbeddingBatch.Create(texts.Count, Dimension, Metadata.ModelId);
            for (var i = 0; i < texts.Count; i++)
            {
                var row = batch.GetRow(i);
                row[i % Dimension] = 1;
            }

            return Task.FromResult(batch);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(EncoderMetadata) ? Metadata : null;

        public void Dispose()
        {
        }
    }

    private sealed class ImageEncoder : IImageEncoder
    {
        private readonly ImagePreprocessor _identifier = new(PreprocessorConfig.OpenAiClip);

        public Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
        {
            var batch = EmbeddingBatch.Create(images.Count, Dimension, Metadata.ModelId);
            for (var i = 0; i < images.Count; i++)
            {
                var row = batch.GetRow(i);
                row[0] = 1;
                row[1] = (images[i].Data.Length % 7) + 1; // differs between images, so nothing ties
            }

            return Task.FromResult(new ImageEncodingResult(batch, new Exception?[images.Count]));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is not null ? null
            : serviceType == typeof(IImageIdentifier) ? _identifier
            : serviceType == typeof(EncoderMetadata) ? Metadata
            : null;

        public void Dispose()
        {
        }
    }
}
