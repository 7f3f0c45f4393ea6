using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace RichScoring.Tests.Caching;

/// <summary>A real in-memory <see cref="IDistributedCache"/> that a test can make fail or hang, counting the requests it gets.</summary>
internal sealed class ControllableDistributedCache : IDistributedCache
{
    private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));
    private int _requests;

    public enum Behaviour
    {
        Works,
        Throws,
        Hangs,
    }

    public Behaviour Mode { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The cache underneath, reachable whatever the mode (to plant or read raw entries).</summary>
    public IDistributedCache Store => _inner;

    public byte[]? Get(string key) => throw new NotSupportedException("the embedding cache must use the async API");

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await EnterAsync(token);
        return await _inner.GetAsync(key, token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException("the embedding cache must use the async API");

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await EnterAsync(token);
        await _inner.SetAsync(key, value, options, token);
    }

    public void Refresh(string key) => throw new NotSupportedException();

    public Task RefreshAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

    public void Remove(string key) => throw new NotSupportedException();

    public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);

    private async Task EnterAsync(CancellationToken token)
    {
        Interlocked.Increment(ref _requests);
        switch (Mode)
        {
            case Behaviour.Throws:
                throw new IOException("simulated: connection refused");
            case Behaviour.Hangs:
                // Ignores the token on purpose, like a client stuck waiting for a dead server; released after a while.
                await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
                throw new TimeoutException("simulated: the server never answered");
        }
    }
}
