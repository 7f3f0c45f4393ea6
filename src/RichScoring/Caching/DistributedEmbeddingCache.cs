using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// The shared tier over <see cref="IDistributedCache"/>: several app instances pointed at one Redis
/// (<c>services.AddStackExchangeRedisCache(…)</c>) encode each image once between them. Entries are the compact binary
/// format of <see cref="DirectoryEmbeddingCache"/> (about 2 KB at 512 dimensions, 1 KB as float16).
/// </summary>
/// <remarks>
/// <para>
/// Built for a server that may go away. A batch that fails or takes longer than
/// <see cref="DistributedEmbeddingCacheOptions.Timeout"/> is abandoned and answers as misses; the error is counted
/// (<c>richscoring.cache.errors</c>, tier <c>distributed</c>) and logged once until the tier works again; then the tier
/// is skipped for <see cref="DistributedEmbeddingCacheOptions.BreakDuration"/>, so a dead Redis costs one timeout per
/// pause, not one per call. Corrupt or foreign entries are ignored and overwritten when the embedding is stored again.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class DistributedEmbeddingCache : IEmbeddingCache
{
    private readonly IDistributedCache _cache;
    private readonly DistributedEmbeddingCacheOptions _options;
    private readonly DistributedCacheEntryOptions _entryOptions;
    private long _pausedUntilTicks;

    /// <summary>Creates the tier.</summary>
    /// <param name="cache">The distributed cache (for Redis, the one <c>AddStackExchangeRedisCache</c> registers).</param>
    /// <param name="options">Key prefix, precision, timeout and pause; the defaults when null (copied: later changes have no effect).</param>
    /// <param name="loggerFactory">Where failures are logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DistributedEmbeddingCache(IDistributedCache cache, DistributedEmbeddingCacheOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _options = (options ?? new DistributedEmbeddingCacheOptions()).Clone();
        _options.Validate();
        _cache = cache;
        _entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = _options.TimeToLive };
        Health = new CacheHealth("distributed", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DistributedEmbeddingCache>());
    }

    /// <summary>Whether the tier is being skipped after a failure.</summary>
    public bool IsPaused => _options.TimeProvider.GetUtcNow().UtcTicks < Interlocked.Read(ref _pausedUntilTicks);

    internal CacheHealth Health { get; }

    /// <inheritdoc />
    public async ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new float[]?[keys.Count];
        if (keys.Count == 0 || Skip(keys.Count))
        {
            return found;
        }

        var names = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            keys[i].ThrowIfDefault();
            names[i] = KeyOf(keys[i]);
        }

        var raw = new byte[]?[keys.Count];
        var ok = await RunAsync("get", keys.Count, async (i, token) => raw[i] = await _cache.GetAsync(names[i], token).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

        // After a failure, keep whatever arrived before it.
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] is { } bytes)
            {
                if (EmbeddingEntryCodec.TryDecode(bytes, keys[i], out var vector, out var reason))
                {
                    found[i] = vector;
                }
                else
                {
                    Health.Invalid(keys[i], reason);
                }
            }
        }

        if (ok)
        {
            Health.Succeeded();
        }

        return found;
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0 || Skip(entries.Count))
        {
            return;
        }

        var names = new string[entries.Count];
        var payloads = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, vector) = entries[i];
            key.ThrowIfDefault();
            names[i] = KeyOf(key);
            try
            {
                payloads[i] = EmbeddingEntryCodec.Encode(key, vector.Span, _options.Precision);
            }
            catch (ArgumentException ex)
            {
                Health.Failed("set", ex); // an entry that cannot be stored (empty vector, huge model id)
                return;
            }
        }

        if (await RunAsync("set", entries.Count, (i, token) => new ValueTask(_cache.SetAsync(names[i], payloads[i], _entryOptions, token)), cancellationToken).ConfigureAwait(false))
        {
            Health.Succeeded();
        }
    }

    /// <summary>The distributed cache key of an entry: prefix, model tag, kind, digest.</summary>
    internal string KeyOf(EmbeddingCacheKey key) =>
        string.Concat(_options.KeyPrefix, key.ModelTag, key.Kind == EmbeddingKind.Image ? ":i:" : ":t:", key.Digest);

    private bool Skip(int count)
    {
        if (!IsPaused)
        {
            return false;
        }

        CacheTelemetry.Skipped.Add(count, new KeyValuePair<string, object?>("tier", Health.Tier));
        return true;
    }

    /// <summary>Runs one request per item, bounded in concurrency and in total time; false when the batch failed.</summary>
    private async Task<bool> RunAsync(string operation, int count, Func<int, CancellationToken, ValueTask> request, CancellationToken cancellationToken)
    {
        var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = abandon.Token };
        var work = Parallel.ForEachAsync(Enumerable.Range(0, count), options, request);
        try
        {
            await work.WaitAsync(_options.Timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Health.Failed(operation, ex);
            Pause();
            return false;
        }
        finally
        {
            if (work.IsCompleted)
            {
                abandon.Dispose();
            }
            else
            {
                // Timed out (or cancelled): stop starting requests, observe the late ones' failure so it is not reported
                // as unobserved, and release the token source only when the last of them has finished.
                await abandon.CancelAsync().ConfigureAwait(false);
                _ = work.ContinueWith(
                    static (t, state) =>
                    {
                        _ = t.Exception;
                        ((CancellationTokenSource)state!).Dispose();
                    },
                    abandon,
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default);
            }
        }
    }

    private void Pause()
    {
        if (_options.BreakDuration <= TimeSpan.Zero)
        {
            return;
        }

        var until = (_options.TimeProvider.GetUtcNow() + _options.BreakDuration).UtcTicks;
        Interlocked.Exchange(ref _pausedUntilTicks, until);
        CacheLog.TierPaused(Health.Logger, Health.Tier, _options.BreakDuration.TotalSeconds);
    }
}
