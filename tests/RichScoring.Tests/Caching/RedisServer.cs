using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RichScoring.Tests.Caching;

/// <summary>A redis-server process of a test's own, on 127.0.0.1 at a free port, without persistence.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public bool IsRunning => !_process.HasExited;

    /// <summary>The redis-server executable on PATH, or null.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts a server, or skips the test (fails it in CI) when redis-server is not installed.</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            RedisFixture.Unavailable("redis-server is not on PATH (install it: apt-get install redis-server; .ci/services does).");
        }

        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(executable!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes" })
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new RedisServer(process, port);
            for (var i = 0; i < 100 && !process.HasExited; i++)
            {
                if (await PingAsync(server.Endpoint, cancellationToken))
                {
                    return server;
                }

                await Task.Delay(50, cancellationToken);
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                lock (output)
                {
                    throw new InvalidOperationException($"redis-server did not start on port {port}:\n{output}");
                }
            }
        }
    }

    /// <summary>Whether a Redis server answers PING at host:port.</summary>
    public static async Task<bool> PingAsync(string endpoint, CancellationToken cancellationToken)
    {
        var colon = endpoint.LastIndexOf(':');
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A port nothing listens on now (the OS picked it free; it is released before returning).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
