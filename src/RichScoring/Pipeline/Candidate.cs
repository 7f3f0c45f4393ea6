namespace RichScoring;

/// <summary>
/// One image offered for scoring: an id, where it came from, and its content (bytes in hand, a stream to open, or a
/// source to fetch), with whatever metadata the source already knows (size, domain, licence).
/// </summary>
public sealed class Candidate
{
    private readonly Func<CancellationToken, ValueTask<Stream>>? _open;

    private Candidate(string id, Uri? source, ReadOnlyMemory<byte>? content, Func<CancellationToken, ValueTask<Stream>>? open, ImageMetadata? metadata)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        Source = source;
        Content = content;
        _open = open;
        Metadata = metadata ?? new ImageMetadata { Source = source, SourceDomain = source is { IsAbsoluteUri: true, IsFile: false } ? source.Host : null };
    }

    /// <summary>Identifies the candidate in results; unique within one scoring call.</summary>
    public string Id { get; }

    /// <summary>Where the image came from: a web URL or a file.</summary>
    public Uri? Source { get; }

    /// <summary>The encoded image, when already in memory.</summary>
    public ReadOnlyMemory<byte>? Content { get; }

    /// <summary>What the source knows about the image before it is read (may be refined once it is identified).</summary>
    public ImageMetadata Metadata { get; }

    /// <summary>Whether the content comes from a stream opened on demand.</summary>
    public bool HasStream => _open is not null;

    /// <summary>A candidate whose bytes are already in memory.</summary>
    /// <param name="id">Unique id.</param>
    /// <param name="content">The encoded image.</param>
    /// <param name="metadata">Known metadata, if any.</param>
    public static Candidate FromBytes(string id, ReadOnlyMemory<byte> content, ImageMetadata? metadata = null) =>
        new(id, metadata?.Source, content, null, metadata);

    /// <summary>A candidate read from a stream when the pipeline gets to it (the stream is disposed after reading).</summary>
    /// <param name="id">Unique id.</param>
    /// <param name="open">Opens the stream.</param>
    /// <param name="metadata">Known metadata, if any.</param>
    public static Candidate FromStream(string id, Func<CancellationToken, ValueTask<Stream>> open, ImageMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        return new(id, metadata?.Source, null, open, metadata);
    }

    /// <summary>A candidate read from a local file when the pipeline gets to it; the path is its id unless one is given.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="id">Unique id; defaults to the path.</param>
    public static Candidate FromFile(string path, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var uri = new Uri(full);
        return new(id ?? path, uri, null, ct => ValueTask.FromResult<Stream>(File.OpenRead(full)), new ImageMetadata { Source = uri });
    }

    /// <summary>A candidate fetched from a web URL by the pipeline's fetcher; the URL is its id unless one is given.</summary>
    /// <param name="url">An http or https URL.</param>
    /// <param name="id">Unique id; defaults to the URL.</param>
    /// <param name="metadata">What the search knew (size, domain, licence), if anything.</param>
    public static Candidate FromUrl(Uri url, string? id = null, ImageMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new(id ?? url.ToString(), url, null, null, (metadata ?? new ImageMetadata()) with { Source = url, SourceDomain = metadata?.SourceDomain ?? (url.IsAbsoluteUri ? url.Host : null) });
    }

    /// <summary>Opens the candidate's stream, when it has one.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    internal ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) =>
        _open is null ? throw new InvalidOperationException($"Candidate '{Id}' has no stream.") : _open(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Id;
}
