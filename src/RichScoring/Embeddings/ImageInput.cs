namespace RichScoring;

/// <summary>One image to encode: its encoded file bytes and an id that reports refer to.</summary>
/// <param name="Id">Identifies the image in results and errors (a candidate id, a file name, a URL).</param>
/// <param name="Data">The encoded file (JPEG, PNG, WebP, GIF, BMP…), exactly as fetched or read.</param>
public readonly record struct ImageInput(string Id, ReadOnlyMemory<byte> Data)
{
    /// <summary>Reads an image file.</summary>
    /// <param name="path">The file to read; its path becomes the id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<ImageInput> FromFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return new ImageInput(path, bytes);
    }
}
