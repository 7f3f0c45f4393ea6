using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// Remembers text embeddings by (model id, SHA-256 of the text) in an <see cref="IEmbeddingCache"/>, so prompt sets are
/// encoded once per model however many queries use them. Only texts not yet cached are sent to the inner encoder, in one
/// batch (a text repeated within a batch is sent once).
/// </summary>
/// <remarks>
/// Thread-safe. Cache failures never surface: a cache that cannot answer counts as missing everything, and the texts are
/// encoded.
/// </remarks>
public sealed class CachingTextEncoder : DelegatingTextEncoder
{
    private readonly EncoderCache _cache;
    private EncoderMetadata? _model;

    /// <summary>Wraps an encoder with its own in-memory cache of 4096 texts (least recently used evicted first).</summary>
    /// <param name="innerEncoder">The encoder to call for texts not yet cached; disposed with this one.</param>
    public CachingTextEncoder(ITextEncoder innerEncoder)
        : this(innerEncoder, 4096)
    {
    }

    /// <summary>Wraps an encoder with its own bounded in-memory cache (least recently used texts evicted first).</summary>
    /// <param name="innerEncoder">The encoder to call for texts not yet cached; disposed with this one.</param>
    /// <param name="capacity">Most texts kept; at least 1 (4096 is about 9 MB at 512 dimensions).</param>
    public CachingTextEncoder(ITextEncoder innerEncoder, int capacity)
        : this(innerEncoder, new MemoryEmbeddingCache(new MemoryEmbeddingCacheOptions { MaxEntries = capacity, MaxBytes = long.MaxValue }))
    {
    }

    /// <summary>Wraps an encoder with a given cache (for example one shared with a <see cref="CachingImageEncoder"/>).</summary>
    /// <param name="innerEncoder">The encoder to call for texts not yet cached; disposed with this one.</param>
    /// <param name="cache">Where embeddings are kept.</param>
    /// <param name="loggerFactory">Where a failing custom cache is logged.</param>
    public CachingTextEncoder(ITextEncoder innerEncoder, IEmbeddingCache cache, ILoggerFactory? loggerFactory = null)
        : base(innerEncoder)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = new EncoderCache(cache, EmbeddingKind.Text, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CachingTextEncoder>());
    }

    /// <summary>The cache.</summary>
    public IEmbeddingCache Cache => _cache.Cache;

    /// <summary>Texts answered from the cache so far.</summary>
    public long Hits => _cache.Hits;

    /// <summary>Texts that had to be encoded so far.</summary>
    public long Misses => _cache.Misses;

    internal CacheHealth Health => _cache.Health;

    /// <inheritdoc />
    public override async Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var model = _model ??= InnerEncoder.GetService<EncoderMetadata>();
        if (model is null || texts.Count == 0)
        {
            return await EncodeAndLearnAsync(texts, cancellationToken).ConfigureAwait(false);
        }

        var slotOf = new int[texts.Count];
        var uniqueTexts = new List<string>();
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], nameof(texts));
            if (!slots.TryGetValue(texts[i], out var slot))
            {
                slot = uniqueTexts.Count;
                slots.Add(texts[i], slot);
                uniqueTexts.Add(texts[i]);
            }

            slotOf[i] = slot;
        }

        var keys = uniqueTexts.ConvertAll(t => EmbeddingCacheKey.ForText(model.ModelId, t));
        var found = await _cache.LookupAsync(keys, model.Dimension, cancellationToken).ConfigureAwait(false);
        var missing = new List<int>();
        for (var s = 0; s < found.Length; s++)
        {
            if (found[s] is null)
            {
                missing.Add(s);
            }
        }

        var freshRow = new int[found.Length];
        EmbeddingBatch? fresh = null;
        if (missing.Count > 0)
        {
            fresh = await InnerEncoder.EncodeAsync(missing.ConvertAll(s => uniqueTexts[s]), cancellationToken).ConfigureAwait(false);
            if (fresh.Count != missing.Count || fresh.Dimension != model.Dimension)
            {
                // The encoder disagrees with its own metadata: cached rows cannot be mixed with its output.
                return await InnerEncoder.EncodeAsync(texts, cancellationToken).ConfigureAwait(false);
            }

            var entries = new List<EmbeddingCacheEntry>(missing.Count);
            for (var j = 0; j < missing.Count; j++)
            {
                freshRow[missing[j]] = j;
                entries.Add(new EmbeddingCacheEntry(keys[missing[j]], fresh.GetRowMemory(j)));
            }

            await _cache.StoreAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        var dimension = model.Dimension;
        var data = new float[texts.Count * dimension];
        var normalized = fresh?.IsNormalized ?? true;
        var hits = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var row = data.AsSpan(i * dimension, dimension);
            if (found[slotOf[i]] is { } cached)
            {
                cached.CopyTo(row);
                normalized &= EncoderCache.IsUnitOrZero(row);
                hits++;
            }
            else
            {
                fresh!.GetRow(freshRow[slotOf[i]]).CopyTo(row);
            }
        }

        _cache.Count(hits, texts.Count - hits);
        return new EmbeddingBatch(data, dimension, model.ModelId, normalized);
    }

    /// <summary>Without metadata the model is unknown until the encoder answers: encode everything, then cache what came back.</summary>
    private async Task<EmbeddingBatch> EncodeAndLearnAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var result = await InnerEncoder.EncodeAsync(texts, cancellationToken).ConfigureAwait(false);
        if (texts.Count == 0)
        {
            return result;
        }

        var model = _model ??= new EncoderMetadata(result.ModelId, result.Dimension);
        if (model.ModelId == result.ModelId && model.Dimension == result.Dimension && result.Count == texts.Count)
        {
            var entries = new List<EmbeddingCacheEntry>(texts.Count);
            for (var i = 0; i < texts.Count; i++)
            {
                entries.Add(new EmbeddingCacheEntry(EmbeddingCacheKey.ForText(model.ModelId, texts[i]), result.GetRowMemory(i)));
            }

            await _cache.StoreAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        _cache.Count(0, texts.Count);
        return result;
    }
}
