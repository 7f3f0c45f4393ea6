using Microsoft.Extensions.AI;

namespace RichScoring;

/// <summary>Conveniences over <see cref="ITextEncoder"/>.</summary>
public static class TextEncoderExtensions
{
    /// <summary>Encodes one text.</summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The L2-normalized embedding.</returns>
    public static async Task<float[]> EncodeAsync(this ITextEncoder encoder, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(text);
        var batch = await encoder.EncodeAsync([text], cancellationToken).ConfigureAwait(false);
        return batch.GetRow(0).ToArray();
    }

    /// <summary>Asks the encoder for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object wanted.</typeparam>
    /// <param name="encoder">The encoder.</param>
    /// <param name="serviceKey">An optional key.</param>
    public static TService? GetService<TService>(this ITextEncoder encoder, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return encoder.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }

    /// <summary>The encoder's <see cref="EncoderMetadata"/>.</summary>
    /// <param name="encoder">The encoder.</param>
    /// <exception cref="InvalidOperationException">The encoder offers no metadata.</exception>
    public static EncoderMetadata GetMetadata(this ITextEncoder encoder) =>
        encoder.GetService<EncoderMetadata>()
        ?? throw new InvalidOperationException($"{encoder.GetType().Name} offers no {nameof(EncoderMetadata)}.");

    /// <summary>
    /// Exposes the encoder as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, so it plugs into
    /// code (vector stores, semantic search) written against that abstraction. The generator shares the encoder: disposing
    /// it does not dispose the encoder.
    /// </summary>
    /// <param name="encoder">The encoder.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this ITextEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return new TextEncoderEmbeddingGenerator(encoder);
    }
}
