using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Onnx.Tests.Encoders;

internal static class TestImages
{
    public static byte[] FlatPng(byte r, byte g, byte b, int width = 64, int height = 48)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(r, g, b));
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);
        return ms.ToArray();
    }

    public static byte[] FlatJpeg(byte r, byte g, byte b, int width = 64, int height = 48)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(r, g, b));
        using var ms = new MemoryStream();
        image.SaveAsJpeg(ms);
        return ms.ToArray();
    }
}
