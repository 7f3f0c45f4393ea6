namespace RichScoring.Tests.Caching;

/// <summary>
/// The Redis the integration tests share: the one at <c>RICHSCORING_REDIS</c> (started by .ci/services), else a
/// redis-server of its own when one is installed. Where there is none, the tests skip with a message, or fail when
/// <c>RICHSCORING_REQUIRE_TEST_DATA=1</c> (CI).
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _own;
    private string? _endpoint;
    private string? _problem;

    /// <summary>Skips the test, or fails it where skipping is forbidden (CI).</summary>
    public static void Unavailable(string message)
    {
        if (Environment.GetEnvironmentVariable("RICHSCORING_REQUIRE_TEST_DATA") == "1")
        {
            Assert.Fail(message + " RICHSCORING_REQUIRE_TEST_DATA=1 forbids skipping the Redis tests.");
        }

        Assert.Skip(message);
    }

    /// <summary>host:port of a running Redis, or the test is skipped (failed in CI).</summary>
    public string RequireEndpoint()
    {
        if (_endpoint is null)
        {
            Unavailable(_problem ?? "No Redis.");
        }

        return _endpoint!;
    }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var given = Environment.GetEnvironmentVariable("RICHSCORING_REDIS");
        if (!string.IsNullOrWhiteSpace(given))
        {
            if (await RedisServer.PingAsync(given, ct))
            {
                _endpoint = given;
            }
            else
            {
                _problem = $"RICHSCORING_REDIS={given} does not answer PING.";
            }

            return;
        }

        if (RedisServer.FindExecutable() is null)
        {
            _problem = "No Redis: RICHSCORING_REDIS is unset and redis-server is not on PATH (apt-get install redis-server; .ci/services does).";
            return;
        }

        _own = await RedisServer.StartAsync(ct);
        _endpoint = _own.Endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }
}
