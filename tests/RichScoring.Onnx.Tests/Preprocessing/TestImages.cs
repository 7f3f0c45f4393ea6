using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Onnx.Tests.Preprocessing;

/// <summary>Images made in the tests with ImageSharp, and helpers to compare tensors.</summary>
internal static class TestImages
{
    /// <summary>Random RGB bytes: noise over hard edges, so clipping and negative lobes are exercised.</summary>
    public static byte[] RandomRgb(int w, int h, int seed)
    {
        var random = new Random(seed);
        var rgb = new byte[w * h * 3];
        random.NextBytes(rgb);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                if (x < w / 3)
                {
                    rgb[((y * w) + x) * 3] = 255;
                }

                if (y < h / 4)
                {
                    rgb[(((y * w) + x) * 3) + 1] = 0;
                }
            }
        }

        return rgb;
    }

    /// <summary>RGB bytes as RGBA (alpha 255).</summary>
    public static byte[] ToRgba(byte[] rgb)
    {
        var rgba = new byte[rgb.Length / 3 * 4];
        for (var i = 0; i < rgb.Length / 3; i++)
        {
            rgba[i * 4] = rgb[i * 3];
            rgba[(i * 4) + 1] = rgb[(i * 3) + 1];
            rgba[(i * 4) + 2] = rgb[(i * 3) + 2];
            rgba[(i * 4) + 3] = 255;
        }

        return rgba;
    }

    /// <summary>A lossless PNG of an RGB buffer.</summary>
    public static byte[] Png(byte[] rgb, int w, int h)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb, w, h);
        return Encode(image, new PngEncoder());
    }

    public static byte[] Solid<TPixel>(int w, int h, TPixel colour, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = new Image<TPixel>(w, h, colour);
        return Encode(image, encoder);
    }

    public static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>A JPEG of smooth gradients and noise, like a photo.</summary>
    public static byte[] PhotoLikeJpeg(int w, int h, int seed = 1, int quality = 90)
    {
        using var image = new Image<Rgb24>(w, h);
        var random = new Random(seed);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < w; x++)
                {
                    var n = random.Next(-12, 13);
                    row[x] = new Rgb24(
                        (byte)Math.Clamp((255 * x / w) + n, 0, 255),
                        (byte)Math.Clamp((255 * y / h) + n, 0, 255),
                        (byte)Math.Clamp(128 + (int)(60 * Math.Sin((x * 0.01) + (y * 0.02))) + n, 0, 255));
                }
            }
        });
        return Encode(image, new JpegEncoder { Quality = quality });
    }

    /// <summary>A two-frame GIF: the first frame <paramref name="first"/>, the second <paramref name="second"/>.</summary>
    public static byte[] AnimatedGif(int w, int h, Rgba32 first, Rgba32 second)
    {
        using var image = new Image<Rgba32>(w, h, first);
        using var frame = new Image<Rgba32>(w, h, second);
        image.Frames.AddFrame(frame.Frames.RootFrame);
        return Encode(image, new GifEncoder());
    }

    /// <summary>The 8-bit value normalisation gives back, per channel, for a CHW tensor of one solid colour.</summary>
    public static float Normalised(int value, int channel, IReadOnlyList<float> mean, IReadOnlyList<float> std) =>
        ((value / 255f) - mean[channel]) / std[channel];

    /// <summary>Recovers 8-bit RGB levels from a normalised CHW tensor.</summary>
    public static int[] Levels(ReadOnlySpan<float> chw, int h, int w, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        var levels = new int[3 * h * w];
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < h * w; i++)
            {
                levels[(c * h * w) + i] = (int)Math.Round(((chw[(c * h * w) + i] * std[c]) + mean[c]) * 255);
            }
        }

        return levels;
    }
}
