using System.Globalization;

namespace RichScoring.Http;

/// <summary>
/// Reads a successful response's body inside the try, below the resilience handler, so that the per-try timeout covers
/// it and a connection that breaks mid-body is retried like any transient failure. The size limit is enforced while
/// the bytes arrive (a Content-Length above it fails at once; a body that outgrows it, or never ends, stops there),
/// and the first bytes are sniffed: an HTML page or JSON served as an image fails early, whatever its Content-Type.
/// </summary>
internal sealed class BodyLimitHandler(long maxBytes) : DelegatingHandler
{
    private const int SniffLength = 1024;
    private const int InitialBuffer = 64 * 1024;
    private const int MaxInitialBuffer = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(FetchAttempts.Key, out var attempts))
        {
            attempts.Increment();
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return response; // redirects and errors are judged by the retry strategy and the fetcher
        }

        try
        {
            var content = response.Content;
            if (content.Headers.ContentLength is { } declared && declared > maxBytes)
            {
                throw TooLarge(string.Create(CultureInfo.InvariantCulture, $" (Content-Length {declared})"));
            }

            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> data;
            await using (stream.ConfigureAwait(false))
            {
                data = await ReadAsync(stream, content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
            }

            var buffered = new BufferedBody(data);
            foreach (var header in content.Headers)
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            content.Dispose();
            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<ReadOnlyMemory<byte>> ReadAsync(Stream stream, long? declared, CancellationToken cancellationToken)
    {
        // One byte beyond the limit is enough to know it was exceeded. A declared length sizes the first buffer, but
        // only up to 1 MB: a server that announces 20 MB and sends nothing must not cost 20 MB.
        var cap = maxBytes + 1;
        var buffer = new byte[(int)Math.Min(cap, Math.Clamp(declared ?? InitialBuffer, 1024, MaxInitialBuffer))];
        var total = 0;
        var sniffed = false;
        while (true)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(cap, (long)buffer.Length * 2));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > maxBytes)
            {
                throw TooLarge(string.Empty);
            }

            if (!sniffed && total >= SniffLength)
            {
                Sniff(buffer.AsSpan(0, total));
                sniffed = true;
            }
        }

        if (total == 0)
        {
            throw new InvalidImageException(ImageErrorKind.Empty, "empty: the response has no body");
        }

        if (!sniffed)
        {
            Sniff(buffer.AsSpan(0, total));
        }

        return buffer.AsMemory(0, total);
    }

    private static void Sniff(ReadOnlySpan<byte> head)
    {
        // Only what is surely not an image stops here; unsupported and unknown formats are for the decoder to judge.
        var sniff = ContentSniffer.Sniff(head);
        if (sniff.Kind == SniffKind.NotAnImage)
        {
            throw new InvalidImageException(ImageErrorKind.NotAnImage, $"not an image: {sniff.Name}");
        }
    }

    private InvalidImageException TooLarge(string detail) =>
        new(ImageErrorKind.TooLarge, $"the response is larger than the {Size(maxBytes)} limit{detail}");

    internal static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
