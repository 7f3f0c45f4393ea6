namespace RichScoring;

/// <summary>Reads a stream into memory, refusing to go past a size limit (checked while reading, not trusted from headers).</summary>
internal static class BoundedRead
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, maxBytes + 1) : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidImageException(ImageErrorKind.TooLarge, $"the file is larger than the {maxBytes / (1024.0 * 1024):0.#} MB limit");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
