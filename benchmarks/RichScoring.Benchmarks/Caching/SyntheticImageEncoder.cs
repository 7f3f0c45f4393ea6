using System.Numerics.Tensors;

namespace RichScoring.Benchmarks.Caching;

/// <summary>
/// A deterministic stand-in for a CLIP image tower with a realistic, fixed cost of real arithmetic: the embedding of a
/// file is a 512 × 2048 random projection applied to 16 successive 2 KB windows of its bytes (16.8 M multiply-adds,
/// about 2 ms on this machine), L2-normalized. Real ViT-B/32 costs ~100 ms an image here, so the cold runs measured
/// with this encoder are about 50× cheaper than real ones and the cache's share of a warm run is overstated, not hidden.
/// </summary>
internal sealed class SyntheticImageEncoder : IImageEncoder
{
    public const int Dimension = 512;
    public const string ModelId = "bench/synthetic-512";
    private const int Window = 2048;
    private const int Rounds = 16;
    private readonly float[] _projection;

    public SyntheticImageEncoder()
    {
        var random = new Random(42);
        _projection = new float[Dimension * Window];
        for (var i = 0; i < _projection.Length; i++)
        {
            _projection[i] = (float)(random.NextDouble() - 0.5);
        }
    }

    public Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
    {
        var batch = EmbeddingBatch.Create(images.Count, Dimension, ModelId);
        var features = new float[Window];
        for (var i = 0; i < images.Count; i++)
        {
            var data = images[i].Data.Span;
            var row = batch.GetRow(i);
            for (var round = 0; round < Rounds; round++)
            {
                for (var k = 0; k < Window; k++)
                {
                    features[k] = data[((round * Window) + k) % data.Length] * (1f / 255);
                }

                for (var r = 0; r < Dimension; r++)
                {
                    row[r] += TensorPrimitives.Dot(_projection.AsSpan(r * Window, Window), features);
                }
            }
        }

        return Task.FromResult(new ImageEncodingResult(batch.Normalize(), new Exception?[images.Count]));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EncoderMetadata) ? new EncoderMetadata(ModelId, Dimension)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
