using RichScoring.Onnx.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Onnx.Tests.Preprocessing;

public class PixelFormatTests
{
    // A 16 × 16 CMYK JPEG of (C, M, Y, K) = (30, 160, 220, 40), Adobe-inverted as PIL writes it, made with
    //   Image.new("CMYK", (16, 16), (30, 160, 220, 40)).save(buffer, "JPEG", quality=95)
    // (ImageSharp 2.1 cannot write CMYK JPEGs: asked to, it writes YCbCr). PIL's convert("RGB") gives (190, 80, 30).
    private const string CmykJpegBase64 =
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK" +
        "/8AAFAgAEAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFB" +
        "BhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqS" +
        "k5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD9hK+e6/Iu" +
        "v1coooooooooooor/9k=";

    // Two-frame animated WebPs, 20 × 20, first frame red, second blue, made with PIL:
    //   red.save(buffer, "WEBP", save_all=True, append_images=[blue], duration=100, loop=0, lossless=True)  (and quality=90)
    // ImageSharp 2.1 refuses animated WebP; the decoder rewrites the first frame into a still one.
    private const string AnimatedLosslessWebpBase64 =
        "UklGRoQAAABXRUJQVlA4WAoAAAACAAAAEwAAEwAAQU5JTQYAAAAAAAAAAABBTk1GKAAAAAAAAAAAABMAABMAAGQAAAJWUDhMDwAAAC8TwAQABxD9j/4H" +
        "IqL/AQBBTk1GKAAAAAAAAAAAABMAABMAAGQAAABWUDhMDwAAAC8TwAQABxDR//4HIqL/AQA=";

    private const string AnimatedLossyWebpBase64 =
        "UklGRvYAAABXRUJQVlA4WAoAAAACAAAAEwAAEwAAQU5JTQYAAAAAAAAAAABBTk1GZAAAAAAAAAAAABMAABMAAGQAAAJWUDggTAAAALAEAJ0BKhQAFAA+" +
        "MRiKQ6IhoRQEACADBLKAOwB+ABkbsvllSC3nFTO1940wThgA/v+DnT//16P6M36M39JD//+Fmfwsz+Fmf/CcAABBTk1GXgAAAAAAAAAAABMAABMAAGQA" +
        "AABWUDggRgAAAFQEAJ0BKhQAFAA+MRSHQ4KAAABgllAHYA/AAyN2XyypBbzgpnau8aUJwwAA/v/ubwf//wsz+Fmfwsz/4WZ//8KtwxDJ0AA=";

    private static readonly PreprocessorConfig Config = PreprocessorConfig.OpenAiClip;

    [Fact]
    public void Grayscale_L8_BecomesGreyRgb()
    {
        var png = TestImages.Solid(30, 20, new L8(77), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        AssertSolid(Preprocess(png), 77, 77, 77);
    }

    [Fact]
    public void GrayscaleWithAlpha_La16_IsCompositedOnWhite_OrDropped()
    {
        var png = TestImages.Solid(30, 20, new La16(77, 128), new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha, BitDepth = PngBitDepth.Bit8 });
        var grey = Blend(77, 128, 255);
        AssertSolid(Preprocess(png), grey, grey, grey);
        AssertSolid(Preprocess(png, ImageDecodeOptions.Reference), 77, 77, 77);
    }

    [Fact]
    public void Rgba_IsCompositedOnTheBackground_OrDropped()
    {
        var png = TestImages.Solid(30, 20, new Rgba32(200, 100, 50, 128), new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        AssertSolid(Preprocess(png), Blend(200, 128, 255), Blend(100, 128, 255), Blend(50, 128, 255));
        AssertSolid(Preprocess(png, new ImageDecodeOptions { Background = System.Drawing.Color.FromArgb(0, 0, 40) }), Blend(200, 128, 0), Blend(100, 128, 0), Blend(50, 128, 40));
        AssertSolid(Preprocess(png, new ImageDecodeOptions { AlphaMode = AlphaMode.DropAlpha }), 200, 100, 50);
    }

    [Fact]
    public void FullyTransparent_ShowsTheBackground_OrTheStoredColour()
    {
        var png = TestImages.Solid(30, 20, new Rgba32(10, 20, 30, 0), new PngEncoder { ColorType = PngColorType.RgbWithAlpha, TransparentColorMode = PngTransparentColorMode.Preserve });
        AssertSolid(Preprocess(png), 255, 255, 255);
        AssertSolid(Preprocess(png, ImageDecodeOptions.Reference), 10, 20, 30);
    }

    [Fact]
    public void SixteenBitRgb48_IsReducedToEightBits()
    {
        var png = TestImages.Solid(30, 20, new Rgb48(0x1234, 0x8000, 0xFFFF), new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });
        var levels = TestImages.Levels(Preprocess(png), 224, 224, Config.ImageMean, Config.ImageStd);

        // ImageSharp rounds v / 257; PIL keeps the high byte. They agree here, and never differ by more than one level.
        Assert.All(levels[..(224 * 224)], v => Assert.InRange(v, 0x12, 0x12 + 1));
        Assert.All(levels[(224 * 224)..(2 * 224 * 224)], v => Assert.InRange(v, 0x80, 0x80 + 1));
        Assert.All(levels[(2 * 224 * 224)..], v => Assert.Equal(255, v));
    }

    [Fact]
    public void Palette_IndexedPng_BecomesRgb()
    {
        var png = TestImages.Solid(30, 20, new Rgba32(10, 200, 30, 255), new PngEncoder { ColorType = PngColorType.Palette });
        AssertSolid(Preprocess(png), 10, 200, 30);
    }

    [Fact]
    public void GrayscaleJpeg_BecomesGreyRgb()
    {
        var jpeg = TestImages.Solid(32, 32, new L8(90), new JpegEncoder { ColorType = JpegColorType.Luminance, Quality = 95 });
        AssertSolid(Preprocess(jpeg), 90, 90, 90, tolerance: 1);
    }

    [Fact]
    public void CmykJpeg_BecomesRgb()
    {
        var jpeg = Convert.FromBase64String(CmykJpegBase64);
        AssertSolid(Preprocess(jpeg), 190, 80, 30, tolerance: 3);
    }

    [Fact]
    public void ExifOrientation6_RotatesClockwise_UnlessDisabled()
    {
        // Stored 60 × 40: top half red, bottom half blue. Orientation 6: display = stored turned 90° clockwise, so
        // the stored top ends up on the right.
        using var image = new Image<Rgb24>(60, 40);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < 40; y++)
            {
                rows.GetRowSpan(y).Fill(y < 20 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255));
            }
        });
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var jpeg = TestImages.Encode(image, new JpegEncoder { Quality = 95 });

        var meta = new ImagePreprocessor(Config).Identify(jpeg);
        Assert.Equal(40, meta.Width);
        Assert.Equal(60, meta.Height);
        Assert.Equal("jpeg", meta.Format);

        var rotated = TestImages.Levels(Preprocess(jpeg), 224, 224, Config.ImageMean, Config.ImageStd);
        Assert.True(IsRed(rotated, x: 200, y: 112) && IsBlue(rotated, x: 20, y: 112), "right should be red, left blue");

        var stored = TestImages.Levels(Preprocess(jpeg, new ImageDecodeOptions { ApplyExifOrientation = false }), 224, 224, Config.ImageMean, Config.ImageStd);
        Assert.True(IsRed(stored, x: 112, y: 20) && IsBlue(stored, x: 112, y: 200), "top should be red, bottom blue");
        var storedMeta = new ImagePreprocessor(Config, ImageDecodeOptions.Reference).Identify(jpeg);
        Assert.Equal(60, storedMeta.Width);
        Assert.Equal(40, storedMeta.Height);

        static bool IsRed(int[] levels, int x, int y) => levels[(y * 224) + x] > 200 && levels[(2 * 224 * 224) + (y * 224) + x] < 60;
        static bool IsBlue(int[] levels, int x, int y) => levels[(y * 224) + x] < 60 && levels[(2 * 224 * 224) + (y * 224) + x] > 200;
    }

    [Fact]
    public void AnimatedGif_UsesTheFirstFrame()
    {
        var gif = TestImages.AnimatedGif(20, 20, new Rgba32(255, 0, 0, 255), new Rgba32(0, 0, 255, 255));
        AssertSolid(Preprocess(gif), 255, 0, 0);
    }

    [Fact]
    public void AnimatedWebp_UsesTheFirstFrame()
    {
        AssertSolid(Preprocess(Convert.FromBase64String(AnimatedLosslessWebpBase64)), 255, 0, 0);
        AssertSolid(Preprocess(Convert.FromBase64String(AnimatedLossyWebpBase64)), 255, 0, 0, tolerance: 4);
        var meta = new ImagePreprocessor(Config).Identify(Convert.FromBase64String(AnimatedLosslessWebpBase64));
        Assert.Equal((20, 20, "webp"), (meta.Width!.Value, meta.Height!.Value, meta.Format));
    }

    [Fact]
    public void OnePixel_IsUpscaled()
    {
        var png = TestImages.Solid(1, 1, new Rgb24(12, 34, 56), new PngEncoder());
        AssertSolid(Preprocess(png), 12, 34, 56);
    }

    [Fact]
    public void LosslessImage_MatchesThePilReferencePipeline_Exactly()
    {
        // CLIP: 97 × 61 -> shortest edge 224 -> 356 × 224 -> center crop. No JPEG involved, so every value is exact.
        var rgb = TestImages.RandomRgb(97, 61, 11);
        var png = TestImages.Png(rgb, 97, 61);
        var g = ResizeGeometry.For(Config, 97, 61);
        Assert.Equal((356, 224, 66), (g.ResizedWidth, g.ResizedHeight, g.Left));
        var expected = PilReference.ResizeAndCrop(rgb, 97, 61, g.ResizedWidth, g.ResizedHeight, ResampleFilter.Bicubic, g.Left, g.Top, 224, 224);
        AssertTensor(expected, Preprocess(png, ImageDecodeOptions.Reference), Config);
    }

    [Fact]
    public void SigLip_IsAPlainResize_WithHalfMeanAndStd()
    {
        var rgb = TestImages.RandomRgb(97, 61, 12);
        var png = TestImages.Png(rgb, 97, 61);
        var siglip = new ImagePreprocessor(PreprocessorConfig.SigLip);
        Assert.Equal((224, 224, 3 * 224 * 224), (siglip.Height, siglip.Width, siglip.TensorLength));
        var tensor = new float[siglip.TensorLength];
        siglip.Preprocess(png, tensor);
        AssertTensor(PilReference.Resize(rgb, 97, 61, 224, 224, ResampleFilter.Bicubic), tensor, PreprocessorConfig.SigLip);
        Assert.Equal(-1f, TestImages.Normalised(0, 0, PreprocessorConfig.SigLip.ImageMean, PreprocessorConfig.SigLip.ImageStd));
    }

    [Fact]
    public void SpanAndMemoryOverloads_AndParallelCalls_AgreeWithEachOther()
    {
        var pre = new ImagePreprocessor(Config);
        var images = Enumerable.Range(0, 8).Select(i => TestImages.PhotoLikeJpeg(120 + (i * 17), 90 + (i * 5), seed: i)).ToArray();
        var sequential = images.Select(b => { var t = new float[pre.TensorLength]; pre.Preprocess(b.AsSpan(), t); return t; }).ToArray();
        var batch = new float[images.Length * pre.TensorLength];
        Parallel.For(0, images.Length, i => pre.Preprocess(images[i].AsMemory(), batch.AsSpan(i * pre.TensorLength, pre.TensorLength)));
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(sequential[i], batch.AsSpan(i * pre.TensorLength, pre.TensorLength).ToArray());
        }
    }

    private static float[] Preprocess(byte[] bytes, ImageDecodeOptions? options = null)
    {
        var pre = new ImagePreprocessor(Config, options);
        var tensor = new float[pre.TensorLength];
        pre.Preprocess(bytes, tensor);
        return tensor;
    }

    private static int Blend(int c, int a, int background) => (int)Math.Round(((c * a) + (background * (255 - a))) / 255.0);

    private static void AssertSolid(float[] tensor, int r, int g, int b, int tolerance = 0)
    {
        var levels = TestImages.Levels(tensor, 224, 224, Config.ImageMean, Config.ImageStd);
        int[] expected = [r, g, b];
        for (var c = 0; c < 3; c++)
        {
            var plane = levels.AsSpan(c * 224 * 224, 224 * 224);
            foreach (var v in plane)
            {
                Assert.InRange(v, expected[c] - tolerance, expected[c] + tolerance);
            }

            if (tolerance == 0)
            {
                // Exact: the very float the reference normalisation gives.
                Assert.Equal(TestImages.Normalised(expected[c], c, Config.ImageMean, Config.ImageStd), tensor[c * 224 * 224]);
            }
        }
    }

    private static void AssertTensor(byte[] expectedRgb, float[] tensor, PreprocessorConfig config)
    {
        var plane = tensor.Length / 3;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var expected = TestImages.Normalised(expectedRgb[(i * 3) + c], c, config.ImageMean, config.ImageStd);
                if (expected != tensor[(c * plane) + i])
                {
                    Assert.Fail($"pixel {i} channel {c}: {tensor[(c * plane) + i]} instead of {expected} (level {expectedRgb[(i * 3) + c]})");
                }
            }
        }
    }
}
