using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// Remembers image embeddings by (model id, SHA-256 of the image file) in an <see cref="IEmbeddingCache"/>: only images
/// not yet cached reach the inner encoder, in one batch, and an image repeated within a batch is encoded once. Images the
/// encoder fails on are not cached (they fail again next time, with their own error).
/// </summary>
/// <remarks>
/// Thread-safe. Cache failures never surface: a cache that cannot answer counts as missing everything (see the tiers'
/// failure policy), and the images are encoded. Two concurrent calls with the same new image may both encode it.
/// </remarks>
public sealed class CachingImageEncoder : DelegatingImageEncoder
{
    private const int ParallelHashThreshold = 1 << 20;
    private readonly EncoderCache _cache;
    private EncoderMetadata? _model;

    /// <summary>Wraps an encoder.</summary>
    /// <param name="innerEncoder">The encoder to call for images not yet cached; disposed with this one.</param>
    /// <param name="cache">Where embeddings are kept (for example a <see cref="TieredEmbeddingCache"/>).</param>
    /// <param name="loggerFactory">Where a failing custom cache is logged.</param>
    public CachingImageEncoder(IImageEncoder innerEncoder, IEmbeddingCache cache, ILoggerFactory? loggerFactory = null)
        : base(innerEncoder)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = new EncoderCache(cache, EmbeddingKind.Image, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CachingImageEncoder>());
    }

    /// <summary>The cache.</summary>
    public IEmbeddingCache Cache => _cache.Cache;

    /// <summary>Images answered from the cache so far.</summary>
    public long Hits => _cache.Hits;

    /// <summary>Images that had to be encoded so far.</summary>
    public long Misses => _cache.Misses;

    internal CacheHealth Health => _cache.Health;

    /// <inheritdoc />
    public override async Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var model = _model ??= InnerEncoder.GetService<EncoderMetadata>();
        if (model is null || images.Count == 0)
        {
            return await EncodeAndLearnAsync(images, cancellationToken).ConfigureAwait(false);
        }

        // One lookup per distinct file: the same bytes under two ids are one embedding.
        var keys = Keys(model.ModelId, images);
        var slotOf = new int[images.Count];
        var unique = new List<int>();
        var slots = new Dictionary<EmbeddingCacheKey, int>();
        for (var i = 0; i < images.Count; i++)
        {
            if (!slots.TryGetValue(keys[i], out var slot))
            {
                slot = unique.Count;
                slots.Add(keys[i], slot);
                unique.Add(i);
            }

            slotOf[i] = slot;
        }

        var uniqueKeys = unique.ConvertAll(i => keys[i]);
        var found = await _cache.LookupAsync(uniqueKeys, model.Dimension, cancellationToken).ConfigureAwait(false);
        var missing = new List<int>();
        for (var s = 0; s < found.Length; s++)
        {
            if (found[s] is null)
            {
                missing.Add(s);
            }
        }

        var freshRow = new int[found.Length];
        ImageEncodingResult? fresh = null;
        if (missing.Count > 0)
        {
            fresh = await InnerEncoder.EncodeAsync(missing.ConvertAll(s => images[unique[s]]), cancellationToken).ConfigureAwait(false);
            if (fresh.Count != missing.Count || fresh.Embeddings.Dimension != model.Dimension)
            {
                // The encoder disagrees with its own metadata: cached rows cannot be mixed with its output.
                return await InnerEncoder.EncodeAsync(images, cancellationToken).ConfigureAwait(false);
            }

            var entries = new List<EmbeddingCacheEntry>(missing.Count);
            for (var j = 0; j < missing.Count; j++)
            {
                freshRow[missing[j]] = j;
                if (fresh.IsSuccess(j))
                {
                    entries.Add(new EmbeddingCacheEntry(uniqueKeys[missing[j]], fresh.Embeddings.GetRowMemory(j)));
                }
            }

            await _cache.StoreAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        var dimension = model.Dimension;
        var data = new float[images.Count * dimension];
        var errors = new Exception?[images.Count];
        var normalized = fresh?.Embeddings.IsNormalized ?? true;
        var hits = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var slot = slotOf[i];
            var row = data.AsSpan(i * dimension, dimension);
            if (found[slot] is { } cached)
            {
                cached.CopyTo(row);
                normalized &= EncoderCache.IsUnitOrZero(row);
                hits++;
            }
            else if (fresh!.GetError(freshRow[slot]) is { } error)
            {
                errors[i] = error;
            }
            else
            {
                fresh.Embeddings.GetRow(freshRow[slot]).CopyTo(row);
            }
        }

        _cache.Count(hits, images.Count - hits);
        return new ImageEncodingResult(new EmbeddingBatch(data, dimension, model.ModelId, normalized), errors);
    }

    private static EmbeddingCacheKey[] Keys(string modelId, IReadOnlyList<ImageInput> images)
    {
        var keys = new EmbeddingCacheKey[images.Count];
        long total = 0;
        foreach (var image in images)
        {
            total += image.Data.Length;
        }

        if (total >= ParallelHashThreshold && images.Count > 1)
        {
            Parallel.For(0, images.Count, i => keys[i] = EmbeddingCacheKey.ForImage(modelId, images[i].Data.Span));
        }
        else
        {
            for (var i = 0; i < images.Count; i++)
            {
                keys[i] = EmbeddingCacheKey.ForImage(modelId, images[i].Data.Span);
            }
        }

        return keys;
    }

    /// <summary>Without metadata the model is unknown until the encoder answers: encode everything, then cache what came back.</summary>
    private async Task<ImageEncodingResult> EncodeAndLearnAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken)
    {
        var result = await InnerEncoder.EncodeAsync(images, cancellationToken).ConfigureAwait(false);
        if (images.Count == 0)
        {
            return result;
        }

        var model = _model ??= new EncoderMetadata(result.Embeddings.ModelId, result.Embeddings.Dimension);
        if (model.ModelId == result.Embeddings.ModelId && model.Dimension == result.Embeddings.Dimension)
        {
            var keys = Keys(model.ModelId, images);
            var entries = new List<EmbeddingCacheEntry>(images.Count);
            for (var i = 0; i < images.Count; i++)
            {
                if (result.IsSuccess(i))
                {
                    entries.Add(new EmbeddingCacheEntry(keys[i], result.Embeddings.GetRowMemory(i)));
                }
            }

            await _cache.StoreAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        _cache.Count(0, images.Count);
        return result;
    }
}
