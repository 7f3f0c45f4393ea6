namespace RichScoring;

/// <summary>The outcome of encoding a batch of images: a row per image, and an error for each image that failed.</summary>
/// <remarks>Rows of failed images are all zeros; check <see cref="IsSuccess"/> before using a row.</remarks>
public sealed class ImageEncodingResult
{
    private readonly Exception?[] _errors;

    /// <summary>Creates a result.</summary>
    /// <param name="embeddings">One row per input image.</param>
    /// <param name="errors">One entry per input image: <see langword="null"/> when it was encoded, else why it was not.</param>
    public ImageEncodingResult(EmbeddingBatch embeddings, IReadOnlyList<Exception?> errors)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count != embeddings.Count)
        {
            throw new ArgumentException(
                $"There are {errors.Count} error slots for {embeddings.Count} embeddings; there must be one per image.",
                nameof(errors));
        }

        Embeddings = embeddings;
        _errors = [.. errors];
        FailedCount = _errors.Count(e => e is not null);
    }

    /// <summary>One row per input image, in input order (zeros for failed images).</summary>
    public EmbeddingBatch Embeddings { get; }

    /// <summary>Number of images.</summary>
    public int Count => _errors.Length;

    /// <summary>Number of images that could not be encoded.</summary>
    public int FailedCount { get; }

    /// <summary>Whether the image at <paramref name="index"/> was encoded.</summary>
    /// <param name="index">Position of the image in the input batch.</param>
    public bool IsSuccess(int index) => _errors[index] is null;

    /// <summary>Why the image at <paramref name="index"/> could not be encoded, or <see langword="null"/> if it was.</summary>
    /// <param name="index">Position of the image in the input batch.</param>
    public Exception? GetError(int index) => _errors[index];
}
