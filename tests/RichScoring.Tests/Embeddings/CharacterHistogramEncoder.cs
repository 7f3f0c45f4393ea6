namespace RichScoring.Tests.Embeddings;

/// <summary>
/// A small, real text encoder for tests: the embedding of a text is the histogram of its letters a–z (26 dimensions),
/// L2-normalized. Deterministic, so expected vectors can be computed independently in a test.
/// </summary>
internal sealed class CharacterHistogramEncoder : ITextEncoder
{
    public const int Dimension = 26;
    public const string ModelId = "test/char-histogram";

    public int Calls { get; private set; }

    public bool Disposed { get; private set; }

    public static float[] Expected(string text)
    {
        var v = new double[Dimension];
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z')
            {
                v[c - 'a']++;
            }
        }

        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => norm == 0 ? 0f : (float)(x / norm))];
    }

    public Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        Calls++;
        var batch = EmbeddingBatch.Create(texts.Count, Dimension, ModelId);
        for (var i = 0; i < texts.Count; i++)
        {
            Expected(texts[i]).CopyTo(batch.GetRow(i));
        }

        return Task.FromResult(new EmbeddingBatch(batch.Memory.ToArray(), Dimension, ModelId, isNormalized: true));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EncoderMetadata) ? new EncoderMetadata(ModelId, Dimension) { ProviderName = "test", ContextLength = 1000 }
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;
}
