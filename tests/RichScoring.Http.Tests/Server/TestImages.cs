using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Http.Tests.Server;

/// <summary>Real JPEG and PNG files made with ImageSharp, served by the loopback server.</summary>
internal static class TestImages
{
    public static readonly byte[] Jpeg = Make(320, 240, jpeg: true);

    public static readonly byte[] Png = Make(300, 200, jpeg: false);

    private static byte[] Make(int width, int height, bool jpeg)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 40, 30));
        using var ms = new MemoryStream();
        if (jpeg)
        {
            image.SaveAsJpeg(ms);
        }
        else
        {
            image.SaveAsPng(ms);
        }

        return ms.ToArray();
    }
}
