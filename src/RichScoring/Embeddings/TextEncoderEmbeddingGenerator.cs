using Microsoft.Extensions.AI;

namespace RichScoring;

/// <summary>Adapts an <see cref="ITextEncoder"/> to Microsoft.Extensions.AI's embedding generator.</summary>
internal sealed class TextEncoderEmbeddingGenerator(ITextEncoder encoder) : IEmbeddingGenerator<string, Embedding<float>>
{
    private EmbeddingGeneratorMetadata? _metadata;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        if (options?.Dimensions is { } wanted && encoder.GetService<EncoderMetadata>() is { } meta && wanted != meta.Dimension)
        {
            throw new NotSupportedException(
                $"Model '{meta.ModelId}' produces {meta.Dimension}-dimensional embeddings; {wanted} were requested.");
        }

        var batch = await encoder.EncodeAsync(texts, cancellationToken).ConfigureAwait(false);
        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            // Rows share the batch's buffer: no copy per embedding.
            result.Add(new Embedding<float>(batch.GetRowMemory(i)) { ModelId = batch.ModelId, CreatedAt = created });
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return encoder.GetService(serviceType, serviceKey);
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata ??= CreateMetadata();
        }

        return serviceType.IsInstanceOfType(this) ? this : encoder.GetService(serviceType);
    }

    // The encoder is shared (typically a DI singleton); its owner disposes it.
    public void Dispose()
    {
    }

    private EmbeddingGeneratorMetadata CreateMetadata()
    {
        var meta = encoder.GetService<EncoderMetadata>();
        return new EmbeddingGeneratorMetadata(meta?.ProviderName ?? "richscoring", null, meta?.ModelId, meta?.Dimension);
    }
}
