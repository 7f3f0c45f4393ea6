using System.Text;
using RichScoring.Onnx.Preprocessing;
using RichScoring.Testing;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Onnx.Tests.Preprocessing;

public class ImageDecodeErrorTests
{
    private static readonly ImagePreprocessor Clip = new(PreprocessorConfig.OpenAiClip);

    [Fact]
    public void EmptyBytes_AreEmpty()
    {
        var e = Fails([]);
        Assert.Equal(ImageErrorKind.Empty, e.Kind);
        Assert.Equal(ImageErrorKind.Empty, Assert.Throws<InvalidImageException>(() => Clip.Identify(ReadOnlyMemory<byte>.Empty)).Kind);
    }

    [Fact]
    public void RandomBytes_AreNotAnImage()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var bytes = new byte[1000];
            new Random(seed).NextBytes(bytes);
            bytes[0] = 0x9A; // not the first byte of any signature we know, nor text
            Assert.Equal(ImageErrorKind.NotAnImage, Fails(bytes).Kind);
        }
    }

    [Theory]
    [InlineData("<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>", "not an image: HTML document")]
    [InlineData("\uFEFF  <html lang=\"en\"><body></body></html>", "not an image: HTML document")]
    [InlineData("<!-- cached --><div class=\"x\">hello</div>", "not an image: HTML document")]
    [InlineData("{\"error\": \"rate limited\", \"retry_after\": 30}", "not an image: JSON")]
    [InlineData("[1, 2, 3]", "not an image: JSON")]
    [InlineData("Access denied. Please log in to see this content.\n", "not an image: text")]
    [InlineData("<?xml version=\"1.0\"?><rss></rss>", "not an image: XML document")]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3", "not an image: PDF document")]
    [InlineData("<!doctype html><html><body><svg width=\"10\"></svg></body></html>", "not an image: HTML document")]
    [InlineData("BMW is a car maker from Munich.", "not an image: text")]
    public void WebPagesAndDocuments_AreNotAnImage_AndSayWhatTheyLookLike(string content, string message)
    {
        var e = Fails(Encoding.UTF8.GetBytes(content));
        Assert.Equal(ImageErrorKind.NotAnImage, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x1C, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'a', (byte)'v', (byte)'i', (byte)'f', 0, 0, 0, 0 }, "AVIF")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c', 0, 0, 0, 0 }, "HEIC/HEIF")]
    [InlineData(new byte[] { 0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0 }, "ICO")]
    [InlineData(new byte[] { (byte)'8', (byte)'B', (byte)'P', (byte)'S', 0, 1 }, "PSD")]
    public void OtherImageFormats_AreUnsupported(byte[] bytes, string name)
    {
        var e = Fails(bytes);
        Assert.Equal(ImageErrorKind.UnsupportedFormat, e.Kind);
        Assert.Equal($"unsupported image format: {name}", e.Message);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect/></svg>")]
    public void Svg_IsAnUnsupportedFormat(string svg)
    {
        var e = Fails(Encoding.UTF8.GetBytes(svg));
        Assert.Equal(ImageErrorKind.UnsupportedFormat, e.Kind);
        Assert.Equal("unsupported image format: SVG", e.Message);
    }

    [Fact]
    public void TruncatedJpeg_IsCorrupt()
    {
        var jpeg = TestImages.PhotoLikeJpeg(320, 240);
        var e = Fails(jpeg[..(jpeg.Length / 2)]);
        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
        Assert.StartsWith("truncated JPEG", e.Message, StringComparison.Ordinal);

        // Cut before the image data, and one byte short of whole.
        Assert.Equal(ImageErrorKind.Corrupt, Fails(jpeg[..300]).Kind);
        Assert.Equal(ImageErrorKind.Corrupt, Fails(jpeg[..^1]).Kind);
    }

    [Fact]
    public void TruncatedGoldenJpeg_IsCorrupt()
    {
        var jpeg = File.ReadAllBytes(TestData.RequireFile("golden/franz-kafka.jpg"));
        var e = Fails(jpeg[..(jpeg.Length / 2)]);
        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
        Assert.StartsWith("truncated JPEG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedPng_IsCorrupt()
    {
        var png = TestImages.Png(TestImages.RandomRgb(64, 64, 3), 64, 64);
        var e = Fails(png[..(png.Length / 2)]);
        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
        Assert.StartsWith("truncated PNG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedWebp_IsCorrupt()
    {
        using var image = SixLabors.ImageSharp.Image.LoadPixelData<Rgb24>(TestImages.RandomRgb(64, 64, 4), 64, 64);
        var webp = TestImages.Encode(image, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder());
        Assert.Equal(ImageErrorKind.Corrupt, Fails(webp[..(webp.Length / 2)]).Kind);
        Clip.Preprocess(webp, new float[Clip.TensorLength]); // whole, it decodes
    }

    [Fact]
    public void CorruptPngData_IsCorrupt()
    {
        // A whole file whose IDAT is not a zlib stream.
        Assert.Equal(ImageErrorKind.Corrupt, Fails(CraftedFiles.PngHeader(16, 16)).Kind);
    }

    [Fact]
    public void HugeHeader_IsRefusedBeforeDecoding()
    {
        // 20000 × 20000 = 400 MP: decoding would allocate 1.6 GB. The IDAT is junk, so reaching the decoder would
        // report Corrupt instead: TooLarge proves the header check came first.
        var png = CraftedFiles.PngHeader(20000, 20000);
        var e = Fails(png);
        Assert.Equal(ImageErrorKind.TooLarge, e.Kind);
        Assert.Equal("20000×20000 (400 MP) exceeds the 50 MP limit", e.Message);
        Assert.Equal(ImageErrorKind.TooLarge, Assert.Throws<InvalidImageException>(() => Clip.Identify(png)).Kind);
    }

    [Fact]
    public void PixelLimit_IsConfigurable()
    {
        var small = new ImagePreprocessor(PreprocessorConfig.OpenAiClip, new ImageDecodeOptions { MaxPixels = 500_000 });
        var png = TestImages.Solid(1000, 1000, new Rgb24(1, 2, 3), new PngEncoder());
        var e = Assert.Throws<InvalidImageException>(() => small.Preprocess(png, new float[small.TensorLength]));
        Assert.Equal(ImageErrorKind.TooLarge, e.Kind);
        Assert.Equal("1000×1000 (1 MP) exceeds the 0.5 MP limit", e.Message);
        Clip.Preprocess(png, new float[Clip.TensorLength]); // the default limit lets it through
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    public void ZeroSize_IsZeroSize(int w, int h)
    {
        var e = Fails(CraftedFiles.PngHeader(w, h));
        Assert.Equal(ImageErrorKind.ZeroSize, e.Kind);
        Assert.Contains($"{w}×{h}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortDestination_IsAnArgumentError()
    {
        var png = TestImages.Solid(4, 4, new Rgb24(1, 2, 3), new PngEncoder());
        Assert.Throws<ArgumentException>(() => Clip.Preprocess(png, new float[Clip.TensorLength - 1]));
    }

    [Fact]
    public void ImageId_CanBeAttached()
    {
        var e = Fails([]).WithImageId("candidate-7");
        Assert.Equal("candidate-7", e.ImageId);
        Assert.Equal(ImageErrorKind.Empty, e.Kind);
        Assert.Equal("empty: no bytes", e.Message);
        Assert.Contains("[candidate-7]", e.ToString(), StringComparison.Ordinal);
    }

    private static InvalidImageException Fails(byte[] bytes)
    {
        var destination = new float[Clip.TensorLength];
        return Assert.Throws<InvalidImageException>(() => Clip.Preprocess(bytes, destination));
    }
}
