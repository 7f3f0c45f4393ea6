namespace RichScoring;

/// <summary>
/// The in-process tier: embeddings kept as float32 arrays, bounded by entry count and bytes, least recently used first
/// out. It never fails, so it is the natural top tier of a <see cref="TieredEmbeddingCache"/>.
/// </summary>
/// <remarks>Thread-safe (one lock; every operation is a few dictionary and list steps).</remarks>
public sealed class MemoryEmbeddingCache : IEmbeddingCache
{
    /// <summary>Bytes counted per entry besides its values: the key's strings, the dictionary and list nodes.</summary>
    public const int EntryOverhead = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<EmbeddingCacheKey, LinkedListNode<(EmbeddingCacheKey Key, float[] Vector)>> _entries = [];
    private readonly LinkedList<(EmbeddingCacheKey Key, float[] Vector)> _recency = new();
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private long _bytes;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="options">Its bounds; the defaults when null.</param>
    /// <exception cref="ArgumentException">A bound is out of range.</exception>
    public MemoryEmbeddingCache(MemoryEmbeddingCacheOptions? options = null)
    {
        options ??= new MemoryEmbeddingCacheOptions();
        options.Validate();
        _maxEntries = options.MaxEntries;
        _maxBytes = options.MaxBytes;
    }

    /// <summary>Number of entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Bytes held now, as counted against <see cref="MemoryEmbeddingCacheOptions.MaxBytes"/>.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new float[]?[keys.Count];
        lock (_lock)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (_entries.TryGetValue(keys[i], out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    found[i] = node.Value.Vector;
                }
            }
        }

        return ValueTask.FromResult(found);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            entry.Key.ThrowIfDefault();
        }

        // Copy outside the lock: the caller keeps its buffer, the cache owns its arrays.
        var copies = new float[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            copies[i] = entries[i].Vector.ToArray();
        }

        lock (_lock)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                Add(entries[i].Key, copies[i]);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static long Size(float[] vector) => ((long)vector.Length * sizeof(float)) + EntryOverhead;

    private void Add(EmbeddingCacheKey key, float[] vector)
    {
        if (_entries.Remove(key, out var existing))
        {
            _recency.Remove(existing);
            _bytes -= Size(existing.Value.Vector);
        }

        var size = Size(vector);
        if (size > _maxBytes)
        {
            return; // larger than the whole cache: keeping it would only evict everything else
        }

        _entries[key] = _recency.AddFirst((key, vector));
        _bytes += size;
        while ((_entries.Count > _maxEntries || _bytes > _maxBytes) && _recency.Last is { } last)
        {
            _recency.RemoveLast();
            _entries.Remove(last.Value.Key);
            _bytes -= Size(last.Value.Vector);
        }
    }
}
