namespace RichScoring.Http.Tests.Server;

/// <summary>One loopback server shared by the tests of a class (each test uses its own paths).</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    internal LoopbackServer Server { get; } = new();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
