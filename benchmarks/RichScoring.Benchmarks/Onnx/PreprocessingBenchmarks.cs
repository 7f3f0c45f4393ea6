using BenchmarkDotNet.Attributes;
using RichScoring.Onnx.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace RichScoring.Benchmarks.Onnx;

/// <summary>
/// One image from JPEG bytes to a normalised 3 × 224 × 224 CLIP tensor: our decode + PIL-exact resample + crop +
/// normalise against ImageSharp's stock Resize(Bicubic) + Crop + a normalisation loop, and the JPEG decode alone
/// (the floor both share). Images are smooth gradients with noise, so they compress like photos.
/// </summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private static readonly PreprocessorConfig Config = PreprocessorConfig.OpenAiClip;

    private byte[] _jpeg = [];
    private float[] _tensor = [];
    private ImagePreprocessor _preprocessor = null!;

    [Params("640x480", "1920x1080", "4032x3024")]
    public string Size { get; set; } = "640x480";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x');
        int w = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), h = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        using var image = new Image<Rgb24>(w, h);
        var random = new Random(42);
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
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        _jpeg = stream.ToArray();
        _preprocessor = new ImagePreprocessor(Config);
        _tensor = new float[_preprocessor.TensorLength];
    }

    [Benchmark(Baseline = true, Description = "ImageSharp Resize(Bicubic)+Crop+normalise")]
    public void ImageSharpStock()
    {
        using var image = Image.Load<Rgb24>(_jpeg);
        var g = ResizeGeometry.For(Config, image.Width, image.Height);
        image.Mutate(x => x.Resize(g.ResizedWidth, g.ResizedHeight, KnownResamplers.Bicubic).Crop(new Rectangle(g.Left, g.Top, 224, 224)));
        var mean = Config.ImageMean;
        var std = Config.ImageStd;
        var tensor = _tensor;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < 224; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < 224; x++)
                {
                    var i = (y * 224) + x;
                    tensor[i] = ((row[x].R / 255f) - mean[0]) / std[0];
                    tensor[(224 * 224) + i] = ((row[x].G / 255f) - mean[1]) / std[1];
                    tensor[(2 * 224 * 224) + i] = ((row[x].B / 255f) - mean[2]) / std[2];
                }
            }
        });
    }

    [Benchmark(Description = "ImagePreprocessor (PIL-exact)")]
    public void PilExact() => _preprocessor.Preprocess(_jpeg, _tensor);

    [Benchmark(Description = "JPEG decode only (Rgba32)")]
    public void DecodeOnly()
    {
        using var image = Image.Load<Rgba32>(_jpeg);
    }
}
