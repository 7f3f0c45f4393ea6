namespace RichScoring.Tests.Caching;

/// <summary>
/// The text side of the "test/rgb" model: "red", "green" and "blue" point along the first three axes and every other
/// word adds a little of the fourth, L2-normalized. Counts what it is asked to encode.
/// </summary>
internal sealed class RgbTextEncoder : ITextEncoder
{
    private int _calls;
    private int _texts;

    public int Calls => Volatile.Read(ref _calls);

    public int TextsEncoded => Volatile.Read(ref _texts);

    public static float[] Expected(string text)
    {
        var v = new double[RgbImageEncoder.Dimension];
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (word)
            {
                case "red": v[0] += 1; break;
                case "green": v[1] += 1; break;
                case "blue": v[2] += 1; break;
                default: v[3] += 0.05; break;
            }
        }

        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => norm == 0 ? 0f : (float)(x / norm))];
    }

    public Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _texts, texts.Count);
        var data = new float[texts.Count * RgbImageEncoder.Dimension];
        for (var i = 0; i < texts.Count; i++)
        {
            Expected(texts[i]).CopyTo(data, i * RgbImageEncoder.Dimension);
        }

        return Task.FromResult(new EmbeddingBatch(data, RgbImageEncoder.Dimension, RgbImageEncoder.ModelId, isNormalized: true));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EncoderMetadata) ? new EncoderMetadata(RgbImageEncoder.ModelId, RgbImageEncoder.Dimension) { LogitScale = 100 }
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
