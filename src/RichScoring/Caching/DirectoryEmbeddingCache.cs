using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// The persistent local tier: one small file per embedding, so a rerun of the same job (the CLI's case) encodes
/// nothing it has seen. Files live under <c>root/&lt;model&gt;-&lt;kind&gt;/ab/cd/&lt;sha-256&gt;.emb</c> (a two-level hex fan-out keeps
/// folders small) in the binary entry format of the distributed tier.
/// </summary>
/// <remarks>
/// <para>
/// Writes are atomic: an entry is written to a temporary file in the same folder and renamed over the final name, so a
/// reader (another thread, or another process sharing the folder) sees the old entry, the new one or none, never half of
/// one. Corrupt, truncated or foreign files are ignored (counted as invalid) and replaced when the embedding is stored again.
/// </para>
/// <para>
/// I/O errors (disk full, permission denied) are counted in <c>richscoring.cache.errors</c> and logged once until the
/// tier works again; the call then answers as a miss. Thread-safe.
/// </para>
/// </remarks>
public sealed class DirectoryEmbeddingCache : IEmbeddingCache
{
    internal const string Extension = ".emb";
    private const string TempExtension = ".tmp";
    private const double TrimTarget = 0.8;
    private readonly EmbeddingPrecision _precision;
    private readonly long? _maxBytes;
    private readonly Lock _sizeLock = new();
    private long _bytes = -1; // unknown until first counted
    private int _trimming;

    /// <summary>Creates the tier over a folder (created when first written).</summary>
    /// <param name="rootPath">The folder; relative paths are taken from the current directory.</param>
    /// <param name="options">Precision and size bound; the defaults when null.</param>
    /// <param name="loggerFactory">Where failures are logged.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DirectoryEmbeddingCache(string rootPath, DirectoryEmbeddingCacheOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        options ??= new DirectoryEmbeddingCacheOptions();
        options.Validate();
        RootPath = Path.GetFullPath(rootPath);
        _precision = options.Precision;
        _maxBytes = options.MaxBytes;
        Health = new CacheHealth("directory", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DirectoryEmbeddingCache>());
    }

    /// <summary>The folder holding the entries.</summary>
    public string RootPath { get; }

    internal CacheHealth Health { get; }

    /// <inheritdoc />
    public ValueTask<float[]?[]> GetAsync(IReadOnlyList<EmbeddingCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new float[]?[keys.Count];
        var read = false;
        for (var i = 0; i < keys.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            keys[i].ThrowIfDefault();
            var path = PathOf(keys[i]);
            byte[] bytes;
            try
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                bytes = File.ReadAllBytes(path);
                read = true;
                if (_maxBytes is not null)
                {
                    File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // marks it recently used for trimming
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                continue; // deleted between the check and the read: a miss
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The folder is unreadable: the rest of the batch would fail the same way.
                Health.Failed("get", ex);
                return ValueTask.FromResult(found);
            }

            if (EmbeddingEntryCodec.TryDecode(bytes, keys[i], out var vector, out var reason))
            {
                found[i] = vector;
            }
            else
            {
                Health.Invalid(keys[i], reason);
            }
        }

        if (read)
        {
            Health.Succeeded(); // only a file actually read shows the folder works again; a miss proves nothing
        }

        return ValueTask.FromResult(found);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(IReadOnlyList<EmbeddingCacheEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        long written = 0;
        var writtenPaths = _maxBytes is null ? null : new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, vector) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            key.ThrowIfDefault();
            var path = PathOf(key);
            try
            {
                var bytes = EmbeddingEntryCodec.Encode(key, vector.Span, _precision);
                WriteAtomically(path, bytes);
                written += bytes.Length;
                writtenPaths?.Add(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Disk full or read-only: the rest of the batch would fail the same way.
                Health.Failed("set", ex);
                return ValueTask.CompletedTask;
            }
        }

        Health.Succeeded();
        if (writtenPaths is { Count: > 0 })
        {
            AccountAndTrim(written, writtenPaths);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Where the entry of <paramref name="key"/> lives.</summary>
    internal string PathOf(EmbeddingCacheKey key)
    {
        var digest = key.Digest;
        var kind = key.Kind == EmbeddingKind.Image ? "image" : "text";
        return Path.Combine(RootPath, $"{key.ModelTag}-{kind}", digest[..2], digest[2..4], digest + Extension);
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}{TempExtension}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                stream.Write(bytes);
            }

            File.Move(temp, path, overwrite: true); // rename(2): atomic within one file system
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray file costs only disk space and is removed by the next trim.
        }
    }

    private void AccountAndTrim(long written, HashSet<string> protectedPaths)
    {
        bool over;
        lock (_sizeLock)
        {
            _bytes = _bytes < 0 ? CountBytes() : _bytes + written; // overwrites overcount until the next trim recounts
            over = _bytes > _maxBytes;
        }

        if (!over || Interlocked.Exchange(ref _trimming, 1) != 0)
        {
            return;
        }

        try
        {
            Trim(protectedPaths);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Health.Failed("trim", ex);
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    private long CountBytes() =>
        Directory.Exists(RootPath)
            ? new DirectoryInfo(RootPath).EnumerateFiles("*" + Extension, SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;

    private void Trim(HashSet<string> protectedPaths)
    {
        var root = new DirectoryInfo(RootPath);
        var staleBefore = DateTime.UtcNow.AddHours(-1);
        foreach (var temp in root.EnumerateFiles("*" + TempExtension, SearchOption.AllDirectories))
        {
            if (temp.LastWriteTimeUtc < staleBefore)
            {
                TryDelete(temp.FullName); // left by a crashed writer
            }
        }

        var files = root.EnumerateFiles("*" + Extension, SearchOption.AllDirectories).OrderBy(f => f.LastWriteTimeUtc).ToList();
        var total = files.Sum(f => f.Length);
        var target = (long)(_maxBytes!.Value * TrimTarget);
        foreach (var file in files)
        {
            if (total <= target)
            {
                break;
            }

            if (protectedPaths.Contains(file.FullName))
            {
                continue; // just written: the most recently used of all
            }

            TryDelete(file.FullName);
            total -= file.Length;
        }

        lock (_sizeLock)
        {
            _bytes = total;
        }
    }
}
