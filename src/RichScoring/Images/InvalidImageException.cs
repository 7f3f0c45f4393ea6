namespace RichScoring;

/// <summary>
/// An image that cannot be used: empty, not an image at all, an unsupported or corrupt file, or one too large to decode.
/// The <see cref="Exception.Message"/> is written for an end user (for example <c>not an image: HTML document</c>,
/// <c>12000×9000 (108 MP) exceeds the 50 MP limit</c>) and becomes a candidate's failure reason.
/// </summary>
public sealed class InvalidImageException : Exception
{
    /// <summary>Creates an exception of kind <see cref="ImageErrorKind.Unknown"/>.</summary>
    public InvalidImageException()
        : this(ImageErrorKind.Unknown, "invalid image")
    {
    }

    /// <summary>Creates an exception of kind <see cref="ImageErrorKind.Unknown"/> with a message.</summary>
    /// <param name="message">A reason readable by an end user.</param>
    public InvalidImageException(string message)
        : this(ImageErrorKind.Unknown, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="ImageErrorKind.Unknown"/> with a message and a cause.</summary>
    /// <param name="message">A reason readable by an end user.</param>
    /// <param name="innerException">The decoder's own exception, if any.</param>
    public InvalidImageException(string message, Exception? innerException)
        : this(ImageErrorKind.Unknown, message, innerException)
    {
    }

    /// <summary>Creates an exception of a given kind.</summary>
    /// <param name="kind">Why the image cannot be used.</param>
    /// <param name="message">A reason readable by an end user.</param>
    /// <param name="innerException">The decoder's own exception, if any.</param>
    /// <param name="imageId">The candidate or image this is about, if known.</param>
    public InvalidImageException(ImageErrorKind kind, string message, Exception? innerException = null, string? imageId = null)
        : base(message, innerException)
    {
        Kind = kind;
        ImageId = imageId;
    }

    /// <summary>Why the image cannot be used.</summary>
    public ImageErrorKind Kind { get; }

    /// <summary>The candidate or image this is about, if known.</summary>
    public string? ImageId { get; init; }

    /// <summary>A copy of this exception that names <paramref name="imageId"/>; kind, message and inner exception stay the same.</summary>
    /// <param name="imageId">The candidate or image id.</param>
    /// <returns>An exception with the same kind, message and inner exception.</returns>
    public InvalidImageException WithImageId(string? imageId) => new(Kind, Message, InnerException, imageId);

    /// <inheritdoc />
    public override string ToString() => ImageId is null ? base.ToString() : $"[{ImageId}] {base.ToString()}";
}
