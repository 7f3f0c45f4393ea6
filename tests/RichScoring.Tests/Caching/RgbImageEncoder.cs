namespace RichScoring.Tests.Caching;

/// <summary>
/// A small, real image encoder over a trivial format for the cache tests: a file is the bytes "RGB" followed by
/// r,g,b triples; its embedding is (mean r, mean g, mean b, 0.05·255) / 255, L2-normalized (model "test/rgb", 4-d).
/// Anything else is a per-image <see cref="InvalidImageException"/>. Counts what it is asked to encode.
/// </summary>
internal sealed class RgbImageEncoder : IImageEncoder
{
    public const int Dimension = 4;
    public const string ModelId = "test/rgb";
    private int _calls;
    private int _images;

    /// <summary>Called with each batch before it is encoded (tests stop a server here, mid-run).</summary>
    public Action<IReadOnlyList<ImageInput>>? OnEncode { get; set; }

    /// <summary>Whether <see cref="GetService"/> offers <see cref="EncoderMetadata"/>.</summary>
    public bool OffersMetadata { get; init; } = true;

    public int Calls => Volatile.Read(ref _calls);

    public int ImagesEncoded => Volatile.Read(ref _images);

    public bool Disposed { get; private set; }

    /// <summary>A test image of <paramref name="pixels"/> pixels around the given colour; <paramref name="seed"/> varies the bytes.</summary>
    public static byte[] Image(byte r, byte g, byte b, int seed = 0, int pixels = 64)
    {
        var random = new Random(seed);
        var data = new byte[3 + (3 * pixels)];
        "RGB"u8.CopyTo(data);
        for (var p = 0; p < pixels; p++)
        {
            data[3 + (3 * p)] = Jitter(r);
            data[4 + (3 * p)] = Jitter(g);
            data[5 + (3 * p)] = Jitter(b);
        }

        return data;

        byte Jitter(byte v) => (byte)Math.Clamp(v + random.Next(-3, 4), 0, 255);
    }

    /// <summary>The embedding of an image, computed independently in double precision.</summary>
    public static float[] Expected(ReadOnlySpan<byte> data)
    {
        if (!IsValid(data))
        {
            throw new InvalidImageException("not an RGB test image");
        }

        var pixels = (data.Length - 3) / 3;
        double r = 0, g = 0, b = 0;
        for (var p = 0; p < pixels; p++)
        {
            r += data[3 + (3 * p)];
            g += data[4 + (3 * p)];
            b += data[5 + (3 * p)];
        }

        double[] v = [r / pixels / 255, g / pixels / 255, b / pixels / 255, 0.05];
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => (float)(x / norm))];
    }

    public Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
    {
        OnEncode?.Invoke(images);
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _images, images.Count);
        var batch = EmbeddingBatch.Create(images.Count, Dimension, ModelId);
        var errors = new Exception?[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            if (IsValid(images[i].Data.Span))
            {
                Expected(images[i].Data.Span).CopyTo(batch.GetRow(i));
            }
            else
            {
                errors[i] = new InvalidImageException($"{images[i].Id} is not an RGB test image");
            }
        }

        return Task.FromResult(new ImageEncodingResult(new EmbeddingBatch(batch.Memory.ToArray(), Dimension, ModelId, isNormalized: true), errors));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EncoderMetadata) ? (OffersMetadata ? new EncoderMetadata(ModelId, Dimension) : null)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;

    private static bool IsValid(ReadOnlySpan<byte> data) => data.Length > 3 && (data.Length - 3) % 3 == 0 && data.StartsWith("RGB"u8);
}
