namespace RichScoring.Http;

/// <summary>Counts the tries of one fetch (every hop, every retry), for the failure message; carried in the request's options.</summary>
internal sealed class FetchAttempts
{
    public static readonly HttpRequestOptionsKey<FetchAttempts> Key = new("RichScoring.FetchAttempts");

    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
