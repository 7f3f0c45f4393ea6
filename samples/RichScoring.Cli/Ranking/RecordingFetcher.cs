using System.Collections.Concurrent;

namespace RichScoring.Cli.Ranking;

/// <summary>Keeps the bytes of every fetched image so the gallery can show thumbnails without fetching twice.</summary>
internal sealed class RecordingFetcher(ICandidateFetcher inner) : ICandidateFetcher
{
    private readonly ConcurrentDictionary<string, ReadOnlyMemory<byte>> _bodies = new(StringComparer.Ordinal);

    public async Task<ReadOnlyMemory<byte>> FetchAsync(Uri source, CancellationToken cancellationToken = default)
    {
        var body = await inner.FetchAsync(source, cancellationToken).ConfigureAwait(false);
        _bodies[source.AbsoluteUri] = body;
        return body;
    }

    public ReadOnlyMemory<byte>? Get(Uri source) => _bodies.TryGetValue(source.AbsoluteUri, out var body) ? body : null;
}
