using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RichScoring.Http.Tests.Server;

/// <summary>One request to the loopback server and the means to answer it, politely or not.</summary>
internal sealed class ServerExchange(Socket socket, Stream stream, string path, IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, int hit, CancellationToken stopping)
{
    public string Path { get; } = path;

    public IReadOnlyDictionary<string, string> Query { get; } = query;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    /// <summary>1 for the first request to this path, 2 for the second…</summary>
    public int Hit { get; } = hit;

    public Stream Stream { get; } = stream;

    public CancellationToken Stopping { get; } = stopping;

    public bool KeepAlive { get; set; } = true;

    public int QueryInt(string name, int fallback) =>
        Query.TryGetValue(name, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    public async Task RespondAsync(int status, byte[]? body = null, string contentType = "application/octet-stream", params (string Name, string Value)[] headers)
    {
        var head = Head(status, headers, contentType);
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body?.Length ?? 0}\r\n\r\n");
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), Stopping);
        if (body is { Length: > 0 })
        {
            await Stream.WriteAsync(body, Stopping);
        }

        await Stream.FlushAsync(Stopping);
    }

    /// <summary>Sends the headers of a chunked body; write chunks with <see cref="ChunkAsync"/>.</summary>
    public async Task StartChunkedAsync(int status, string contentType)
    {
        var head = Head(status, [], contentType);
        head.Append("Transfer-Encoding: chunked\r\n\r\n");
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), Stopping);
    }

    public async Task ChunkAsync(ReadOnlyMemory<byte> data)
    {
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), Stopping);
        await Stream.WriteAsync(data, Stopping);
        await Stream.WriteAsync("\r\n"u8.ToArray(), Stopping);
        await Stream.FlushAsync(Stopping);
    }

    public async Task EndChunkedAsync()
    {
        await Stream.WriteAsync("0\r\n\r\n"u8.ToArray(), Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>Aborts the connection with a TCP reset.</summary>
    public void Reset()
    {
        KeepAlive = false;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private StringBuilder Head(int status, (string Name, string Value)[] headers, string contentType)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        head.Append(KeepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        return head;
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
