namespace RichScoring.Benchmarks.Caching;

/// <summary>The text side of <see cref="SyntheticImageEncoder"/>'s model: a random unit vector seeded by the text.</summary>
internal sealed class SyntheticTextEncoder : ITextEncoder
{
    public Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var batch = EmbeddingBatch.Create(texts.Count, SyntheticImageEncoder.Dimension, SyntheticImageEncoder.ModelId);
        for (var i = 0; i < texts.Count; i++)
        {
            var seed = 17;
            foreach (var c in texts[i])
            {
                seed = unchecked((seed * 31) + c);
            }

            var random = new Random(seed);
            var row = batch.GetRow(i);
            for (var k = 0; k < row.Length; k++)
            {
                row[k] = (float)(random.NextDouble() - 0.5);
            }
        }

        return Task.FromResult(batch.Normalize());
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EncoderMetadata) ? new EncoderMetadata(SyntheticImageEncoder.ModelId, SyntheticImageEncoder.Dimension) { LogitScale = 100 }
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
