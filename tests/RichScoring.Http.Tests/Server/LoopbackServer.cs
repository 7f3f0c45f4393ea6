using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RichScoring.Http.Tests.Server;

/// <summary>
/// A small HTTP/1.1 server on a raw <see cref="TcpListener"/> bound to a loopback address and a free port, so that a test
/// controls every byte: good images, lies about the content, slow answers, resets, redirects, bodies that never end.
/// Requests are counted per path. Custom routes are added with <see cref="Map"/>.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF, 0xE0];

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<ServerExchange, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Socket, bool> _open = new();
    private readonly Task _accepting;
    private int _connections;

    public LoopbackServer(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start(512);
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        Address = endpoint.Address;
        Port = endpoint.Port;
        MapDefaults();
        _accepting = AcceptAsync();
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary>This server's endpoint, for <see cref="HttpFetchOptions.AllowedPrivateEndpoints"/>.</summary>
    public IPEndPoint EndPoint => new(Address, Port);

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Added before every answer (the benchmark's stand-in for a network).</summary>
    public TimeSpan Latency { get; set; }

    public Uri Url(string pathAndQuery)
    {
        var host = Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{Port}{pathAndQuery}"));
    }

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>Answers every path starting with <paramref name="prefix"/> (the longest matching prefix wins).</summary>
    public void Map(string prefix, Func<ServerExchange, Task> handler) => _routes[prefix] = handler;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // Headers and body go out in separate writes: without this, Nagle and delayed ACKs add 40 ms to each answer.
            socket.NoDelay = true;
            Interlocked.Increment(ref _connections);
            _open[socket] = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            while (!_stop.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var exchange = Parse(socket, stream, head);
                if (Latency > TimeSpan.Zero)
                {
                    await Task.Delay(Latency, _stop.Token);
                }

                await Route(exchange.Path)(exchange);
                if (!exchange.KeepAlive)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away (as the fetcher does on purpose with endless bodies) or the server stops.
        }
        finally
        {
            _open.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>(1024);
        var one = new byte[1];
        while (buffer.Count < 32 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            var n = buffer.Count;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n')
            {
                return Encoding.ASCII.GetString([.. buffer]);
            }
        }

        return null;
    }

    private ServerExchange Parse(Socket socket, Stream stream, string head)
    {
        var lines = head.Split("\r\n");
        var target = lines[0].Split(' ')[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal)))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var hit = _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        return new ServerExchange(socket, stream, path, query, headers, hit, _stop.Token);
    }

    private Func<ServerExchange, Task> Route(string path)
    {
        var best = _routes.Keys.Where(p => path.StartsWith(p, StringComparison.Ordinal)).OrderByDescending(p => p.Length).FirstOrDefault();
        return best is null ? x => x.RespondAsync(404, "no route"u8.ToArray(), "text/plain") : _routes[best];
    }

    private static string Segment(string path, int index) => path.Split('/', StringSplitOptions.RemoveEmptyEntries)[index];

    private void MapDefaults()
    {
        Map("/ok/", x => x.Path.EndsWith(".png", StringComparison.Ordinal)
            ? x.RespondAsync(200, TestImages.Png, "image/png")
            : x.RespondAsync(200, TestImages.Jpeg, "image/jpeg"));
        Map("/lying/", x => x.RespondAsync(200, TestImages.Jpeg, "text/plain"));
        Map("/html/", x => x.RespondAsync(200, "<!DOCTYPE html><html><head><title>Not found</title></head><body>nothing here</body></html>"u8.ToArray(), "image/jpeg"));
        Map("/json/", x => x.RespondAsync(200, "{\"error\":\"no image\"}"u8.ToArray(), "image/png"));
        Map("/empty/", x => x.RespondAsync(200, [], "image/jpeg"));
        Map("/close/", x =>
        {
            x.KeepAlive = false;
            return x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        Map("/slow/", async x =>
        {
            await Task.Delay(x.QueryInt("ms", 5000), x.Stopping);
            await x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        Map("/slow-first/", async x =>
        {
            if (x.Hit == 1)
            {
                await Task.Delay(x.QueryInt("ms", 5000), x.Stopping);
            }

            await x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        Map("/trickle/", async x =>
        {
            // Headers at once, then the body one byte at a time: only a limit that covers the body stops this.
            var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {TestImages.Jpeg.Length}\r\n\r\n"));
            await x.Stream.WriteAsync(head, x.Stopping);
            foreach (var b in TestImages.Jpeg)
            {
                await x.Stream.WriteAsync(new[] { b }, x.Stopping);
                await x.Stream.FlushAsync(x.Stopping);
                await Task.Delay(x.QueryInt("ms", 100), x.Stopping);
            }
        });
        Map("/reset/", x =>
        {
            x.Reset();
            return Task.CompletedTask;
        });
        Map("/reset-first/", x =>
        {
            if (x.Hit == 1)
            {
                x.Reset();
                return Task.CompletedTask;
            }

            return x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        Map("/status/", x => x.RespondAsync(int.Parse(Segment(x.Path, 1), CultureInfo.InvariantCulture), "error page"u8.ToArray(), "text/plain"));
        Map("/flaky/", x =>
        {
            // /flaky/{code}/{n}/name: the first n requests get {code}, later ones the image.
            var code = int.Parse(Segment(x.Path, 1), CultureInfo.InvariantCulture);
            var failures = int.Parse(Segment(x.Path, 2), CultureInfo.InvariantCulture);
            return x.Hit <= failures
                ? x.RespondAsync(code, "try again"u8.ToArray(), "text/plain", code == 429 ? [("Retry-After", "0")] : [])
                : x.RespondAsync(200, TestImages.Jpeg, "image/jpeg");
        });
        Map("/redirect/", x =>
        {
            // /redirect/{n}/name: n more redirects (relative Location), then the image.
            var n = int.Parse(Segment(x.Path, 1), CultureInfo.InvariantCulture);
            var rest = string.Join('/', x.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2));
            return n == 0
                ? x.RespondAsync(200, TestImages.Jpeg, "image/jpeg")
                : x.RespondAsync(302, [], "text/plain", ("Location", string.Create(CultureInfo.InvariantCulture, $"/redirect/{n - 1}/{rest}")));
        });
        Map("/redirect-to/", x => x.RespondAsync(302, [], "text/plain", ("Location", x.Query["url"])));
        Map("/no-location/", x => x.RespondAsync(302, [], "text/plain"));
        Map("/big/", async x =>
        {
            var body = new byte[x.QueryInt("bytes", 1024)];
            JpegMagic.CopyTo(body, 0);
            await x.RespondAsync(200, body, "image/jpeg");
        });
        Map("/big-chunked/", async x =>
        {
            await x.StartChunkedAsync(200, "image/jpeg");
            var left = x.QueryInt("bytes", 1024);
            var chunk = new byte[Math.Min(left, 16 * 1024)];
            JpegMagic.CopyTo(chunk, 0);
            while (left > 0)
            {
                var n = Math.Min(left, chunk.Length);
                await x.ChunkAsync(chunk.AsMemory(0, n));
                chunk.AsSpan().Clear();
                left -= n;
            }

            await x.EndChunkedAsync();
        });
        Map("/endless/", async x =>
        {
            await x.StartChunkedAsync(200, "image/jpeg");
            var chunk = new byte[16 * 1024];
            JpegMagic.CopyTo(chunk, 0);
            while (true)
            {
                await x.ChunkAsync(chunk); // ends with an IOException when the client hangs up
                chunk.AsSpan(0, 4).Clear();
            }
        });
    }
}
