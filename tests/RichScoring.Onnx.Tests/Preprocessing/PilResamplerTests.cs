using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Onnx.Tests.Preprocessing;

public class PilResamplerTests
{
    private static readonly (int W, int H)[] InSizes = [(1, 1), (1, 5), (5, 1), (2, 3), (7, 7), (13, 9), (31, 17), (64, 48), (97, 61)];
    private static readonly (int W, int H)[] OutSizes = [(1, 1), (3, 2), (7, 7), (16, 9), (31, 17), (45, 80), (120, 33)];

    public static TheoryData<ResampleFilter> Filters => new(Enum.GetValues<ResampleFilter>());

    [Theory]
    [MemberData(nameof(Filters))]
    public void Resize_MatchesThePlainReference_ForOddSizesUpAndDown(ResampleFilter filter)
    {
        var seed = 0;
        foreach (var path in Enum.GetValues<ResamplerPath>().Where(ResamplerPaths.IsSupported))
        {
            foreach (var (w, h) in InSizes)
            {
                foreach (var (ow, oh) in OutSizes)
                {
                    var rgb = TestImages.RandomRgb(w, h, seed++);
                    var expected = PilReference.Resize(rgb, w, h, ow, oh, filter);
                    var actual = Run(rgb, w, h, new ResizeGeometry(ow, oh, 0, 0, ow, oh), filter, path);
                    AssertSame(expected, actual, $"{path} {filter} {w}x{h} -> {ow}x{oh}");
                }
            }
        }
    }

    [Fact]
    public void ResizeWithCrop_ComputesOnlyTheWindow_AndMatchesResizeThenCrop()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var path = i % 2 == 0 || !ResamplerPaths.IsSupported(ResamplerPath.Avx2) ? ResamplerPath.Scalar : ResamplerPath.Avx2;
            var filter = (ResampleFilter)random.Next(6);
            int w = random.Next(1, 90), h = random.Next(1, 90);
            int rw = random.Next(1, 120), rh = random.Next(1, 120);
            int cw = random.Next(1, 60), ch = random.Next(1, 60);

            // Windows inside, across the edges and (for padding) larger than the resized image.
            int left = random.Next(-10, Math.Max(rw - cw, 0) + 10), top = random.Next(-10, Math.Max(rh - ch, 0) + 10);
            var rgb = TestImages.RandomRgb(w, h, i);
            var expected = PilReference.ResizeAndCrop(rgb, w, h, rw, rh, filter, left, top, cw, ch);
            var actual = Run(rgb, w, h, new ResizeGeometry(rw, rh, left, top, cw, ch), filter, path);
            AssertSame(expected, actual, $"{path} {filter} {w}x{h} -> {rw}x{rh}, window {cw}x{ch} at ({left},{top})");
        }
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void ConstantImage_StaysConstant(ResampleFilter filter)
    {
        foreach (var (w, h, ow, oh) in new[] { (50, 40, 7, 9), (7, 9, 50, 40), (640, 480, 224, 168) })
        {
            var rgb = new byte[w * h * 3];
            for (var i = 0; i < rgb.Length; i += 3)
            {
                (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)0, (byte)137, (byte)255);
            }

            var actual = Run(rgb, w, h, new ResizeGeometry(ow, oh, 0, 0, ow, oh), filter, ResamplerPaths.Best);
            for (var i = 0; i < actual.Length; i += 3)
            {
                Assert.Equal((0, 137, 255), (actual[i], actual[i + 1], actual[i + 2]));
            }
        }
    }

    [Fact]
    public void BilinearUpscale_OfARamp_IsLinearInterpolation()
    {
        // Not PIL-specific: an independent check that the kernel and coordinates mean what they should.
        const int W = 11, Out = 40;
        var rgb = new byte[W * 3];
        for (var x = 0; x < W; x++)
        {
            rgb[x * 3] = rgb[(x * 3) + 1] = rgb[(x * 3) + 2] = (byte)(x * 20);
        }

        var actual = Run(rgb, W, 1, new ResizeGeometry(Out, 1, 0, 0, Out, 1), ResampleFilter.Bilinear, ResamplerPaths.Best);
        for (var x = 0; x < Out; x++)
        {
            var position = Math.Clamp(((x + 0.5) * W / Out) - 0.5, 0, W - 1);
            Assert.InRange(actual[x * 3], (position * 20) - 1, (position * 20) + 1);
        }
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void Coefficients_SumToOneInFixedPoint_AndStayInsideTheSource(ResampleFilter filter)
    {
        foreach (var (inSize, outSize) in new[] { (655, 326), (326, 655), (4032, 298), (1, 224), (224, 224), (13, 5) })
        {
            using var c = AxisCoefficients.Create(inSize, outSize, filter, 0, outSize);
            for (var i = 0; i < outSize; i++)
            {
                Assert.InRange(c.Start[i], 0, inSize - 1);
                Assert.InRange(c.Start[i] + c.Taps[i], 1, inSize);
                var sum = c.Weights.Slice(i * c.KernelSize, c.KernelSize).ToArray().Sum();
                Assert.InRange(sum, (1 << 22) - c.KernelSize, (1 << 22) + c.KernelSize);
            }
        }
    }

    [Fact]
    public void Composite_BlendsOnTheBackground_AndLeavesOpaquePixels()
    {
        var rgba = new byte[4 * 40];
        for (var p = 0; p < 40; p++)
        {
            rgba[(p * 4) + 0] = 200;
            rgba[(p * 4) + 1] = 100;
            rgba[(p * 4) + 2] = 50;
            rgba[(p * 4) + 3] = p == 33 ? (byte)128 : p == 34 ? (byte)0 : (byte)255;
        }

        PilResampler.Composite(rgba, new RgbColor(255, 255, 255));

        Assert.Equal([200, 100, 50, 255], rgba[..4]);
        Assert.Equal(
            [Blend(200, 128, 255), Blend(100, 128, 255), Blend(50, 128, 255), 255],
            rgba[(33 * 4)..(34 * 4)]);
        Assert.Equal([255, 255, 255, 255], rgba[(34 * 4)..(35 * 4)]);

        static byte Blend(int c, int a, int bg) => (byte)Math.Round(((c * a) + (bg * (255 - a))) / 255.0);
    }

    [Theory]
    [InlineData(450, 655, 224, 326, 0, 51)] // the golden image: portrait, torchvision crops rows 51..274
    [InlineData(655, 450, 326, 224, 51, 0)]
    [InlineData(640, 480, 298, 224, 37, 0)]
    [InlineData(4032, 3024, 298, 224, 37, 0)]
    [InlineData(300, 300, 224, 224, 0, 0)]
    [InlineData(1, 1, 224, 224, 0, 0)]
    [InlineData(100, 449, 224, 1005, 0, 390)] // (1005 - 224) / 2 = 390.5 rounds half to even
    [InlineData(100, 451, 224, 1010, 0, 393)]
    public void Geometry_FollowsTorchvision(int w, int h, int rw, int rh, int left, int top)
    {
        var g = ResizeGeometry.For(PreprocessorConfig.OpenAiClip, w, h);
        Assert.Equal(new ResizeGeometry(rw, rh, left, top, 224, 224), g);
    }

    [Fact]
    public void Geometry_CropOffsets_RoundHalfToEven_AndPadWhenTheCropIsLarger()
    {
        Assert.Equal(50, ResizeGeometry.CropOffset(325, 224)); // 50.5 -> 50
        Assert.Equal(52, ResizeGeometry.CropOffset(327, 224)); // 51.5 -> 52
        Assert.Equal(-3, ResizeGeometry.CropOffset(100, 107)); // torchvision pads (107 - 100) // 2 = 3 on the left
    }

    [Fact]
    public void Geometry_SigLip_IsAPlainResize()
    {
        Assert.Equal(new ResizeGeometry(224, 224, 0, 0, 224, 224), ResizeGeometry.For(PreprocessorConfig.SigLip, 640, 480));
    }

    internal static byte[] Run(byte[] rgb, int w, int h, ResizeGeometry geometry, ResampleFilter filter, ResamplerPath path)
    {
        var source = new ArrayRowSource(TestImages.ToRgba(rgb), w, h);
        var output = new byte[geometry.OutputWidth * geometry.OutputHeight * 3];
        var sink = new RgbCollector(output, geometry.OutputWidth);
        PilResampler.Resample(ref source, geometry, filter, null, ref sink, path);
        return output;
    }

    private static void AssertSame(byte[] expected, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"{what}: byte {i} (pixel {i / 3}, channel {i % 3}) is {actual[i]}, the reference says {expected[i]}");
            }
        }
    }

    private readonly struct ArrayRowSource(byte[] rgba, int w, int h) : IRowSource
    {
        public int Width => w;

        public int Height => h;

        public Span<byte> GetRow(int y) => rgba.AsSpan(y * w * 4, w * 4);
    }

    private readonly struct RgbCollector(byte[] output, int width) : IRowSink
    {
        public void Row(int y, ReadOnlySpan<byte> rgba)
        {
            for (var x = 0; x < width; x++)
            {
                output[(((y * width) + x) * 3) + 0] = rgba[x * 4];
                output[(((y * width) + x) * 3) + 1] = rgba[(x * 4) + 1];
                output[(((y * width) + x) * 3) + 2] = rgba[(x * 4) + 2];
            }
        }
    }
}
