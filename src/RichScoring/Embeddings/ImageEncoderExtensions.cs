namespace RichScoring;

/// <summary>Conveniences over <see cref="IImageEncoder"/>.</summary>
public static class ImageEncoderExtensions
{
    /// <summary>Encodes one image.</summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The L2-normalized embedding.</returns>
    /// <exception cref="Exception">The image could not be encoded; the exception the encoder reported for it is rethrown.</exception>
    public static async Task<float[]> EncodeAsync(this IImageEncoder encoder, ImageInput image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var result = await encoder.EncodeAsync([image], cancellationToken).ConfigureAwait(false);
        if (result.GetError(0) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return result.Embeddings.GetRow(0).ToArray();
    }

    /// <summary>Asks the encoder for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object wanted.</typeparam>
    /// <param name="encoder">The encoder.</param>
    /// <param name="serviceKey">An optional key.</param>
    public static TService? GetService<TService>(this IImageEncoder encoder, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return encoder.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }

    /// <summary>The encoder's <see cref="EncoderMetadata"/>.</summary>
    /// <param name="encoder">The encoder.</param>
    /// <exception cref="InvalidOperationException">The encoder offers no metadata.</exception>
    public static EncoderMetadata GetMetadata(this IImageEncoder encoder) =>
        encoder.GetService<EncoderMetadata>()
        ?? throw new InvalidOperationException($"{encoder.GetType().Name} offers no {nameof(EncoderMetadata)}.");
}
