namespace RichScoring;

/// <summary>
/// Remembers text embeddings by (model id, text) in a bounded in-memory cache, so prompt sets are encoded once per
/// model however many queries use them. Only texts not yet cached are sent to the inner encoder, in one batch.
/// </summary>
/// <remarks>Thread-safe. Least recently used entries are evicted beyond <see cref="Capacity"/>.</remarks>
public sealed class CachingTextEncoder : DelegatingTextEncoder
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, float[] Vector)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, float[] Vector)> _recency = new();
    private string? _modelId;
    private long _hits;
    private long _misses;

    /// <summary>Wraps an encoder.</summary>
    /// <param name="innerEncoder">The encoder to call for texts not yet cached.</param>
    /// <param name="capacity">Most texts kept; at least 1. Default 4096 (about 8 MB at 512 dimensions).</param>
    public CachingTextEncoder(ITextEncoder innerEncoder, int capacity = 4096)
        : base(innerEncoder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Most texts kept.</summary>
    public int Capacity { get; }

    /// <summary>Texts answered from the cache so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Texts that had to be encoded so far.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <inheritdoc />
    public override async Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var modelId = _modelId ??= InnerEncoder.GetService<EncoderMetadata>()?.ModelId ?? "";
        var found = new float[texts.Count][];
        var missing = new List<string>();
        var missingAt = new List<int>();
        lock (_lock)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (_entries.TryGetValue(Key(modelId, texts[i]), out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    found[i] = node.Value.Vector;
                }
                else
                {
                    missing.Add(texts[i]);
                    missingAt.Add(i);
                }
            }
        }

        Interlocked.Add(ref _hits, texts.Count - missing.Count);
        Interlocked.Add(ref _misses, missing.Count);
        var dimension = 0;
        if (missing.Count > 0)
        {
            var fresh = await InnerEncoder.EncodeAsync(missing, cancellationToken).ConfigureAwait(false);
            modelId = fresh.ModelId;
            dimension = fresh.Dimension;
            lock (_lock)
            {
                for (var j = 0; j < missing.Count; j++)
                {
                    var vector = fresh.GetRow(j).ToArray();
                    found[missingAt[j]] = vector;
                    Add(Key(modelId, missing[j]), vector);
                }
            }
        }

        dimension = dimension > 0 ? dimension : found.Length > 0 ? found[0].Length : InnerEncoder.GetService<EncoderMetadata>()?.Dimension ?? 1;
        var result = new float[texts.Count * dimension];
        for (var i = 0; i < texts.Count; i++)
        {
            found[i].CopyTo(result, i * dimension);
        }

        return new EmbeddingBatch(result, dimension, modelId.Length > 0 ? modelId : "unknown", isNormalized: true);
    }

    private static string Key(string modelId, string text) => string.Concat(modelId, "\n", text);

    private void Add(string key, float[] vector)
    {
        if (_entries.TryGetValue(key, out var existing))
        {
            _recency.Remove(existing);
        }

        var node = _recency.AddFirst((key, vector));
        _entries[key] = node;
        while (_entries.Count > Capacity && _recency.Last is { } last)
        {
            _recency.RemoveLast();
            _entries.Remove(last.Value.Key);
        }
    }
}
