using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>The rows of a decoded ImageSharp image as RGBA bytes.</summary>
internal readonly struct ImageRowSource(Image<Rgba32> image) : IRowSource
{
    public int Width => image.Width;

    public int Height => image.Height;

    public Span<byte> GetRow(int y) => MemoryMarshal.AsBytes(image.DangerousGetPixelRowMemory(y).Span);
}
