using System.Collections.Concurrent;
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
/// failure policy), and the images are encoded. Concurrent calls share work: an image that one call is already encoding
/// is not encoded again by another, which waits for that result (or encodes it itself if that call fails as a whole or
/// is cancelled).
/// </remarks>
public sealed class CachingImageEncoder : DelegatingImageEncoder
{
    private const int ParallelHashThreshold = 1 << 20;
    private readonly EncoderCache _cache;
    private readonly ConcurrentDictionary<EmbeddingCacheKey, TaskCompletionSource<InFlightResult?>> _inFlight = new();
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
        var rows = new ReadOnlyMemory<float>?[found.Length];
        var errors = new Exception?[found.Length];
        var served = new bool[found.Length]; // an embedding this call did not encode: from the cache or another call
        var claims = new List<(int Slot, TaskCompletionSource<InFlightResult?> Claim)>();
        var waits = new List<(int Slot, Task<InFlightResult?> Task)>();
        for (var s = 0; s < found.Length; s++)
        {
            if (found[s] is { } cached)
            {
                rows[s] = cached;
                served[s] = true;
                continue;
            }

            // Single flight: the first call to miss an image encodes it; a concurrent call with the same image waits
            // for that result instead of encoding it a second time.
            var claim = new TaskCompletionSource<InFlightResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var current = _inFlight.GetOrAdd(uniqueKeys[s], claim);
            if (ReferenceEquals(current, claim))
            {
                claims.Add((s, claim));
            }
            else
            {
                waits.Add((s, current.Task));
            }
        }

        var fits = true;
        try
        {
            if (claims.Count > 0)
            {
                fits = await EncodeMissingAsync(images, unique, uniqueKeys, claims.ConvertAll(c => c.Slot), model.Dimension, rows, errors, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever happened, release the claims before waiting on anyone else's (so two calls never wait on each
            // other): waiters get the row or the error, or null (encode it yourself) when this call failed as a whole.
            foreach (var (s, claim) in claims)
            {
                _inFlight.TryRemove(new KeyValuePair<EmbeddingCacheKey, TaskCompletionSource<InFlightResult?>>(uniqueKeys[s], claim));
                claim.TrySetResult(rows[s] is { } row ? new InFlightResult(row, null) : errors[s] is { } error ? new InFlightResult(null, error) : null);
            }
        }

        var orphans = new List<int>();
        for (var w = 0; fits && w < waits.Count; w++)
        {
            var (slot, task) = waits[w];
            if (await task.WaitAsync(cancellationToken).ConfigureAwait(false) is { } shared)
            {
                rows[slot] = shared.Row;
                errors[slot] = shared.Error;
                served[slot] = shared.Row is not null; // a shared failure is no cache hit
            }
            else
            {
                orphans.Add(slot);
            }
        }

        if (fits && orphans.Count > 0)
        {
            fits = await EncodeMissingAsync(images, unique, uniqueKeys, orphans, model.Dimension, rows, errors, cancellationToken).ConfigureAwait(false);
        }

        if (!fits)
        {
            // The encoder disagrees with its own metadata: cached rows cannot be mixed with its output.
            return await InnerEncoder.EncodeAsync(images, cancellationToken).ConfigureAwait(false);
        }

        var normalized = true;
        var dimension = model.Dimension;
        var data = new float[images.Count * dimension];
        var imageErrors = new Exception?[images.Count];
        var hits = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var slot = slotOf[i];
            var row = data.AsSpan(i * dimension, dimension);
            if (rows[slot] is { } value)
            {
                value.Span.CopyTo(row);
                normalized &= EncoderCache.IsUnitOrZero(row);
            }
            else
            {
                imageErrors[i] = errors[slot];
            }

            hits += served[slot] ? 1 : 0;
        }

        _cache.Count(hits, images.Count - hits);
        return new ImageEncodingResult(new EmbeddingBatch(data, dimension, model.ModelId, normalized), imageErrors);
    }

    /// <summary>
    /// Encodes the given slots in one batch, stores what succeeded and fills <paramref name="rows"/> /
    /// <paramref name="errors"/>; false when the encoder's output does not fit its metadata.
    /// </summary>
    private async Task<bool> EncodeMissingAsync(
        IReadOnlyList<ImageInput> images, List<int> unique, List<EmbeddingCacheKey> uniqueKeys, List<int> slots, int dimension,
        ReadOnlyMemory<float>?[] rows, Exception?[] errors, CancellationToken cancellationToken)
    {
        var fresh = await InnerEncoder.EncodeAsync(slots.ConvertAll(s => images[unique[s]]), cancellationToken).ConfigureAwait(false);
        if (fresh.Count != slots.Count || fresh.Embeddings.Dimension != dimension)
        {
            return false;
        }

        var entries = new List<EmbeddingCacheEntry>(slots.Count);
        for (var j = 0; j < slots.Count; j++)
        {
            if (fresh.GetError(j) is { } error)
            {
                errors[slots[j]] = error;
            }
            else
            {
                var row = fresh.Embeddings.GetRowMemory(j);
                rows[slots[j]] = row;
                entries.Add(new EmbeddingCacheEntry(uniqueKeys[slots[j]], row));
            }
        }

        await _cache.StoreAsync(entries, cancellationToken).ConfigureAwait(false);
        return true;
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
