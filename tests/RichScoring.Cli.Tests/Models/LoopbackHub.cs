using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RichScoring.Cli.Tests.Models;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 laid out like the Hugging Face hub: <c>/{repo}/resolve/{revision}/{path}</c>.
/// Small files come back directly with <c>ETag: "&lt;git blob sha1&gt;"</c>; LFS files get a 302 to <c>/cdn/…</c>
/// (standing in for the CDN) with <c>X-Linked-Etag: "&lt;sha256&gt;"</c> and <c>X-Linked-Size</c>, and the CDN honours
/// Range requests. Files can be told to cut the connection, stall, or serve corrupted bytes. Every request is logged.
/// </summary>
internal sealed class LoopbackHub : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, HubFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private readonly ConcurrentDictionary<string, (byte[] Body, string ContentType)> _static = new(StringComparer.Ordinal);
    private readonly Task _accepting;

    public LoopbackHub()
    {
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<HubRequest> Requests => [.. _requests];

    public void ClearRequests() => _requests.Clear();

    public HubFile Add(string repository, string revision, string path, byte[] content, bool lfs)
    {
        var file = new HubFile(content, lfs);
        _files[$"/{repository}/resolve/{revision}/{path}"] = file;
        return file;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/> (any query string) with a plain 200: images, search results.</summary>
    public Uri AddStatic(string path, byte[] body, string contentType)
    {
        _static[path] = (body, contentType);
        return new Uri(Endpoint, path);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var file in _files.Values)
        {
            file.Release.TrySetResult();
        }

        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var lines = head.Split("\r\n");
                var target = lines[0].Split(' ')[1];
                var path = Uri.UnescapeDataString(target.Split('?')[0]);
                var range = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase))
                    .Select(p => p[1].Trim()).FirstOrDefault();
                _requests.Enqueue(new HubRequest(path, range));
                await RespondAsync(stream, path, range);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (or the test cut the connection on purpose).
            }
        }
    }

    private async Task RespondAsync(NetworkStream stream, string path, string? range)
    {
        if (_static.TryGetValue(path, out var resource))
        {
            await WriteHeadAsync(stream, 200, "OK", [("Content-Type", resource.ContentType), ("Content-Length", resource.Body.Length.ToString(CultureInfo.InvariantCulture))]);
            await stream.WriteAsync(resource.Body);
            return;
        }

        if (path.StartsWith("/cdn/", StringComparison.Ordinal) && _files.TryGetValue(path["/cdn".Length..], out var lfsFile))
        {
            await SendBodyAsync(stream, lfsFile, range, [("ETag", "\"cdn-object-7\"")]);
            return;
        }

        if (!_files.TryGetValue(path, out var file))
        {
            await WriteHeadAsync(stream, 404, "Not Found", [("Content-Length", "0")]);
            return;
        }

        if (file.Lfs)
        {
            await WriteHeadAsync(stream, 302, "Found",
            [
                ("Location", $"{Endpoint.AbsoluteUri.TrimEnd('/')}/cdn{path}?expires=1"),
                ("X-Linked-Etag", $"\"{file.Sha256}\""),
                ("X-Linked-Size", file.Content.Length.ToString(CultureInfo.InvariantCulture)),
                ("Content-Length", "0"),
            ]);
            return;
        }

        await SendBodyAsync(stream, file, range, [("ETag", $"\"{file.GitBlobSha1}\"")]);
    }

    private async Task SendBodyAsync(NetworkStream stream, HubFile file, string? range, (string, string)[] extra)
    {
        var bytes = file.Served();
        long from = 0;
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
        }

        if (from >= bytes.Length && from > 0)
        {
            await WriteHeadAsync(stream, 416, "Range Not Satisfiable", [("Content-Range", $"bytes */{bytes.Length}"), ("Content-Length", "0"), .. extra]);
            return;
        }

        var length = bytes.Length - from;
        (string, string)[] headers = from > 0
            ? [("Content-Range", $"bytes {from}-{bytes.Length - 1}/{bytes.Length}"), ("Content-Length", length.ToString(CultureInfo.InvariantCulture)), ("Accept-Ranges", "bytes"), .. extra]
            : [("Content-Length", length.ToString(CultureInfo.InvariantCulture)), ("Accept-Ranges", "bytes"), .. extra];
        await WriteHeadAsync(stream, from > 0 ? 206 : 200, from > 0 ? "Partial Content" : "OK", headers);

        var body = bytes.AsMemory((int)from);
        if (file.CutsLeft > 0)
        {
            file.CutsLeft--;
            await stream.WriteAsync(body[..Math.Min(file.CutAfter, body.Length)]);
            await stream.FlushAsync();
            return; // closing without the rest: the client sees the response end early
        }

        if (file.StallAfter is { } stall && stall < body.Length)
        {
            await stream.WriteAsync(body[..stall]);
            await stream.FlushAsync();
            await file.Release.Task.WaitAsync(_stop.Token);
            return;
        }

        await stream.WriteAsync(body);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, int status, string reason, IEnumerable<(string Name, string Value)> headers)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        text.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16_384)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                return Encoding.ASCII.GetString([.. buffer]);
            }
        }

        return null;
    }
}
