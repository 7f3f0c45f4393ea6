using System.Buffers.Binary;

namespace RichScoring.Tests.Caching;

public sealed class DirectoryEmbeddingCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "richscoring-cache-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Entries_persist_across_instances_in_a_two_level_fan_out()
    {
        var key = EmbeddingCacheKey.ForImage("test/model", [1, 2, 3]);
        var vector = EmbeddingEntryCodecTests.UnitVector(512, 1);
        await new DirectoryEmbeddingCache(_root).SetAsync([new EmbeddingCacheEntry(key, vector)], Ct);

        var reopened = new DirectoryEmbeddingCache(_root);
        var found = await reopened.GetAsync([key, EmbeddingCacheKey.ForImage("test/model", [9])], Ct);

        Assert.Equal(vector, found[0]);
        Assert.Null(found[1]);
        var path = reopened.PathOf(key);
        Assert.Equal(Path.Combine(_root, key.ModelTag + "-image", key.Digest[..2], key.Digest[2..4], key.Digest + ".emb"), path);
        Assert.Equal(EmbeddingEntryCodec.Encode(key, vector, EmbeddingPrecision.Float32), File.ReadAllBytes(path));
        Assert.Empty(Directory.EnumerateFiles(_root, "*.tmp", SearchOption.AllDirectories)); // no temporary file left behind
    }

    [Fact]
    public async Task Float16_entries_are_half_the_size()
    {
        var key = EmbeddingCacheKey.ForText("m", "duck");
        var vector = EmbeddingEntryCodecTests.UnitVector(512, 2);
        var cache = new DirectoryEmbeddingCache(_root, new DirectoryEmbeddingCacheOptions { Precision = EmbeddingPrecision.Float16 });

        await cache.SetAsync([new EmbeddingCacheEntry(key, vector)], Ct);

        Assert.Equal(EmbeddingEntryCodec.HeaderSize + 1 + 1024 + EmbeddingEntryCodec.TrailerSize, new FileInfo(cache.PathOf(key)).Length);
        var back = (await cache.GetAsync([key], Ct))[0]!;
        Assert.All(Enumerable.Range(0, 512), i => Assert.True(Math.Abs(back[i] - vector[i]) <= (1e-3 * Math.Abs(vector[i])) + 1e-7));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("version")]
    [InlineData("dimension")]
    [InlineData("empty")]
    public async Task A_bad_file_is_a_counted_miss_and_is_replaced_by_the_next_write(string damage)
    {
        var key = EmbeddingCacheKey.ForImage("m", [7]);
        var vector = EmbeddingEntryCodecTests.UnitVector(16, 3);
        var cache = new DirectoryEmbeddingCache(_root);
        await cache.SetAsync([new EmbeddingCacheEntry(key, vector)], Ct);
        var path = cache.PathOf(key);
        var good = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "truncated" => good[..(good.Length / 2)],
            "garbage" => [.. Enumerable.Range(0, good.Length).Select(i => (byte)(i * 31))],
            "version" => Fixed(good, e => e[4] = 2),
            "dimension" => Fixed(good, e => BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(8), 15)),
            _ => [],
        });

        Assert.Null((await cache.GetAsync([key], Ct))[0]);
        Assert.Equal(1, cache.Health.InvalidEntries);
        Assert.Equal(0, cache.Health.Errors); // a bad entry is not a failing tier

        await cache.SetAsync([new EmbeddingCacheEntry(key, vector)], Ct);
        Assert.Equal(vector, (await cache.GetAsync([key], Ct))[0]);
    }

    [Fact]
    public async Task Readers_never_see_a_half_written_entry()
    {
        var key = EmbeddingCacheKey.ForImage("m", [1]);
        var cache = new DirectoryEmbeddingCache(_root);
        var a = EmbeddingEntryCodecTests.UnitVector(4096, 1);
        var b = EmbeddingEntryCodecTests.UnitVector(4096, 2);
        await cache.SetAsync([new EmbeddingCacheEntry(key, a)], Ct);

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await new DirectoryEmbeddingCache(_root).SetAsync([new EmbeddingCacheEntry(key, (i + w) % 2 == 0 ? a : b)], Ct);
            }
        })).ToArray();
        var reads = 0;
        while (!writers.All(t => t.IsCompleted))
        {
            var found = (await cache.GetAsync([key], Ct))[0];
            Assert.NotNull(found); // the final name always exists: a rename replaces it in one step
            Assert.True(found.SequenceEqual(a) || found.SequenceEqual(b), "a mixture of two writes was read");
            reads++;
        }

        await Task.WhenAll(writers);
        Assert.Equal(0, cache.Health.InvalidEntries);
        Assert.True(reads > 0);
        Assert.Empty(Directory.EnumerateFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_unusable_folder_is_counted_logged_once_and_never_thrown()
    {
        // A file where the folder should be: every write and read fails with an I/O error, as on a broken disk.
        Directory.CreateDirectory(_root);
        var blocked = Path.Combine(_root, "not-a-folder");
        File.WriteAllText(blocked, "x");
        var log = new CapturingLoggerFactory();
        var cache = new DirectoryEmbeddingCache(Path.Combine(blocked, "cache"), loggerFactory: log);
        var key = EmbeddingCacheKey.ForImage("m", [1]);

        for (var i = 0; i < 3; i++)
        {
            await cache.SetAsync([new EmbeddingCacheEntry(key, new float[] { 1 })], Ct);
            Assert.Null((await cache.GetAsync([key], Ct))[0]);
        }

        Assert.Equal(3, cache.Health.Errors); // the writes; a read of a missing file is a plain miss
        Assert.Equal(1, log.Count(500));
        Assert.True(cache.Health.IsFailing);
    }

    [Fact]
    public async Task Recovery_is_logged_once_after_a_failure()
    {
        Directory.CreateDirectory(_root);
        var target = Path.Combine(_root, "later");
        File.WriteAllText(target, "in the way");
        var log = new CapturingLoggerFactory();
        var cache = new DirectoryEmbeddingCache(target, loggerFactory: log);
        var entry = new EmbeddingCacheEntry(EmbeddingCacheKey.ForText("m", "t"), new float[] { 1 });

        await cache.SetAsync([entry], Ct);
        await cache.SetAsync([entry], Ct);
        File.Delete(target); // the disk is fixed
        await cache.SetAsync([entry], Ct);
        await cache.SetAsync([entry], Ct);

        Assert.Equal(2, cache.Health.Errors);
        Assert.Equal(1, log.Count(500));
        Assert.Equal(1, log.Count(501));
        Assert.False(cache.Health.IsFailing);
        Assert.NotNull((await cache.GetAsync([entry.Key], Ct))[0]);
    }

    [Fact]
    public async Task A_size_bound_trims_the_oldest_files_and_keeps_the_newest()
    {
        var entrySize = EmbeddingEntryCodec.Encode(MemoryEmbeddingCacheTests.Key(0), new float[64], EmbeddingPrecision.Float32).Length;
        var cache = new DirectoryEmbeddingCache(_root, new DirectoryEmbeddingCacheOptions { MaxBytes = 10L * entrySize });

        for (var i = 0; i < 40; i++)
        {
            await cache.SetAsync([new EmbeddingCacheEntry(MemoryEmbeddingCacheTests.Key(i), EmbeddingEntryCodecTests.UnitVector(64, i))], Ct);
        }

        var files = Directory.EnumerateFiles(_root, "*.emb", SearchOption.AllDirectories).ToList();
        Assert.True(files.Sum(f => new FileInfo(f).Length) <= 10L * entrySize, $"{files.Count} files");
        Assert.NotEmpty(files);
        Assert.NotNull((await cache.GetAsync([MemoryEmbeddingCacheTests.Key(39)], Ct))[0]); // the newest survives
        Assert.Equal(0, cache.Health.Errors);
    }

    private static byte[] Fixed(byte[] entry, Action<byte[]> change)
    {
        var copy = entry.ToArray();
        change(copy);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), EmbeddingEntryCodec.Checksum(copy.AsSpan(0, copy.Length - 4)));
        return copy;
    }
}
