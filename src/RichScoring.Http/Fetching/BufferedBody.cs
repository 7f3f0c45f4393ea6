using System.Net;

namespace RichScoring.Http;

/// <summary>A response body already read into memory (within the limits) while the try was still running.</summary>
internal sealed class BufferedBody(ReadOnlyMemory<byte> data) : HttpContent
{
    public ReadOnlyMemory<byte> Data { get; } = data;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(Data).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Data, cancellationToken).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = Data.Length;
        return true;
    }
}
