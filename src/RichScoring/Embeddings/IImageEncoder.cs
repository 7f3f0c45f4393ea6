namespace RichScoring;

/// <summary>Turns images into embeddings in a model's joint text–image space.</summary>
/// <remarks>
/// <para>
/// The input is the <em>encoded</em> file (<see cref="ImageInput"/>: JPEG, PNG, WebP, GIF… bytes with an id), not decoded
/// pixels, for three reasons: each model prescribes its own decode, resize, crop and normalisation (taken from its
/// folder), so only the encoder can do it right; the bytes are what a cache keys on (a SHA-256 of the file); and a
/// bad file becomes a per-image error inside the encoder instead of an exception in the caller's decoding code.
/// Source metadata (URL, domain, licence) is not part of the input: it does not change the embedding, so it travels
/// on the pipeline's <see cref="Candidate"/> instead.
/// </para>
/// <para>
/// A batch never fails as a whole because of one image: undecodable, oversized or otherwise bad images are reported
/// per item in <see cref="ImageEncodingResult"/> and the others are encoded.
/// </para>
/// <para>Implementations must be thread-safe: one instance is shared by every caller (register it as a singleton).</para>
/// </remarks>
public interface IImageEncoder : IDisposable
{
    /// <summary>Encodes a batch of images.</summary>
    /// <param name="images">The images; an empty list gives an empty result.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One L2-normalized row per image in input order, plus the error of each image that failed.</returns>
    Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default);

    /// <summary>Asks for an object the encoder (or one it wraps) offers, such as <see cref="EncoderMetadata"/>.</summary>
    /// <param name="serviceType">The type of object wanted.</param>
    /// <param name="serviceKey">An optional key to tell apart several objects of the same type.</param>
    /// <returns>The object, or <see langword="null"/> when none is available.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
