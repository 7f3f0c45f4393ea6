using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using RichScoring.Onnx;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Benchmarks.Onnx;

/// <summary>
/// Library encoders vs a bare <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// on the same prepared tensors, over a model with CLIP ViT-B/32's architecture (random weights). Both use the same
/// session settings (intra-op threads = cores, no spinning). The library's image path includes JPEG decoding and
/// preprocessing of 224 × 224 images; its text path trims padding to the longest prompt.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class EncoderOverheadBenchmarks
{
    private const int Images = 8;
    private const int Texts = 32;

    private ClipModel _model = null!;
    private InferenceSession _bare = null!;
    private ImageInput[] _images = null!;
    private string[] _prompts = null!;
    private float[] _pixels = null!;
    private long[] _idsFull = null!;
    private long[] _maskFull = null!;
    private long[] _idsTrimmed = null!;
    private long[] _maskTrimmed = null!;
    private int _trimmedLength;

    [GlobalSetup]
    public void Setup()
    {
        var folder = BenchmarkModel.Folder();
        _model = ClipModel.Load(folder);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = Environment.ProcessorCount };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _bare = new InferenceSession(Path.Combine(folder, "model.onnx"), options);

        var rng = new Random(7);
        _images = [.. Enumerable.Range(0, Images).Select(i => new ImageInput($"img{i}", Jpeg(rng)))];
        _pixels = new float[Images * _model.ImageEncoder.Preprocessor.TensorLength];
        for (var i = 0; i < Images; i++)
        {
            _model.ImageEncoder.Preprocess(_images[i].Data.Span).CopyTo(_pixels, i * _model.ImageEncoder.Preprocessor.TensorLength);
        }

        string[] templates = ["a photo of a {0}", "a side view of a {0}", "a close-up photo of a {0}", "a rubber {0}", "a cartoon {0}", "a {0} on water"];
        string[] things = ["duck", "mallard", "goose", "swan", "chair", "teapot"];
        _prompts = [.. Enumerable.Range(0, Texts).Select(i => string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[i % templates.Length], things[i / templates.Length % things.Length]))];
        var tokens = _prompts.Select(p => _model.TextEncoder.Tokenize(p).Ids).ToArray();
        _trimmedLength = tokens.Max(t => t.Count);
        (_idsFull, _maskFull) = Pack(tokens, 77);
        (_idsTrimmed, _maskTrimmed) = Pack(tokens, _trimmedLength);

        // Warm both paths once so one-time allocations are not measured.
        ImagesBare();
        _ = ImagesLibrary();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, Description = "images: bare session (8 prepared tensors)")]
    [BenchmarkCategory("Images")]
    public float ImagesBare()
    {
        using var pixels = OrtValue.CreateTensorValueFromMemory(_pixels, [Images, 3, 224, 224]);
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { 49406, 49407 }, [1, 2]);
        using var mask = OrtValue.CreateTensorValueFromMemory(new long[] { 1, 1 }, [1, 2]);
        using var run = new RunOptions();
        using var outputs = _bare.Run(run, ["pixel_values", "input_ids", "attention_mask"], [pixels, ids, mask], ["image_embeds"]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark(Description = "images: library (8 JPEGs, decode + preprocess + run)")]
    [BenchmarkCategory("Images")]
    public float ImagesLibrary() => _model.ImageEncoder.EncodeAsync(_images).GetAwaiter().GetResult().Embeddings.Span[0];

    [Benchmark(Description = "texts: bare session, 32 prompts padded to 77")]
    [BenchmarkCategory("Texts")]
    public float TextsBareFull() => RunText(_idsFull, _maskFull, 77);

    [Benchmark(Description = "texts: bare session, 32 prompts trimmed to the longest")]
    [BenchmarkCategory("Texts")]
    public float TextsBareTrimmed() => RunText(_idsTrimmed, _maskTrimmed, _trimmedLength);

    [Benchmark(Description = "texts: library (tokenize + trim + run)")]
    [BenchmarkCategory("Texts")]
    public float TextsLibrary() => _model.TextEncoder.EncodeAsync(_prompts).GetAwaiter().GetResult().Span[0];

    private float RunText(long[] ids, long[] mask, int length)
    {
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [Texts, length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [Texts, length]);
        using var pixels = OrtValue.CreateTensorValueFromMemory(new float[3 * 224 * 224], [1, 3, 224, 224]);
        using var run = new RunOptions();
        using var outputs = _bare.Run(run, ["input_ids", "attention_mask", "pixel_values"], [idsValue, maskValue, pixels], ["text_embeds"]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    private static (long[] Ids, long[] Mask) Pack(IReadOnlyList<int>[] tokens, int length)
    {
        var ids = new long[tokens.Length * length];
        var mask = new long[tokens.Length * length];
        for (var i = 0; i < tokens.Length; i++)
        {
            for (var j = 0; j < length; j++)
            {
                ids[(i * length) + j] = j < tokens[i].Count ? tokens[i][j] : 49407;
                mask[(i * length) + j] = j < tokens[i].Count ? 1 : 0;
            }
        }

        return (ids, mask);
    }

    private static byte[] Jpeg(Random rng)
    {
        using var image = new Image<Rgb24>(224, 224);
        for (var y = 0; y < 224; y++)
        {
            for (var x = 0; x < 224; x++)
            {
                image[x, y] = new Rgb24((byte)(x + rng.Next(16)), (byte)(y + rng.Next(16)), (byte)rng.Next(256));
            }
        }

        using var ms = new MemoryStream();
        image.SaveAsJpeg(ms);
        return ms.ToArray();
    }
}
