namespace RichScoring;

/// <summary>Turns texts (prompts) into embeddings in a model's joint text–image space.</summary>
/// <remarks>
/// <para>
/// One batch method, in the style of Microsoft.Extensions.AI's <c>IEmbeddingGenerator</c>: conveniences such as
/// encoding a single text live in <see cref="TextEncoderExtensions"/>. Use <see cref="TextEncoderExtensions.AsEmbeddingGenerator"/>
/// to plug an encoder into code written against Microsoft.Extensions.AI.
/// </para>
/// <para>Implementations must be thread-safe: one instance is shared by every caller (register it as a singleton).</para>
/// </remarks>
public interface ITextEncoder : IDisposable
{
    /// <summary>Encodes a batch of texts.</summary>
    /// <param name="texts">The texts; an empty list gives an empty batch. Texts longer than the model's context are truncated.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One L2-normalized row per text, in input order.</returns>
    Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);

    /// <summary>Asks for an object the encoder (or one it wraps) offers, such as <see cref="EncoderMetadata"/>.</summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key to tell apart several objects of the same type.</param>
    /// <returns>The object, or <see langword="null"/> when none is available.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
