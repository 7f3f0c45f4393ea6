using RichScoring.Onnx.Tests.Encoders;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Onnx.Tests.Pipeline;

/// <summary>One colour-model folder shared by the pipeline tests, and helpers to make candidate images.</summary>
public sealed class PipelineFixture : IDisposable
{
    private readonly ModelFolderFixture _models = new();

    public string Folder => _models.Split;

    public void Dispose() => _models.Dispose();

    public static Candidate Flat(string id, byte r, byte g, byte b, int width = 320, int height = 240) =>
        Candidate.FromBytes(id, TestImages.FlatPng(r, g, b, width, height));

    /// <summary>A flat colour with a little noise, so two of them are near-duplicates but not identical files.</summary>
    public static Candidate Noisy(string id, byte r, byte g, byte b, int seed, int width = 320, int height = 240)
    {
        var rng = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24(Jitter(r, rng), Jitter(g, rng), Jitter(b, rng));
                }
            }
        });
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);
        return Candidate.FromBytes(id, ms.ToArray());
    }

    private static byte Jitter(byte v, Random rng) => (byte)Math.Clamp(v + rng.Next(-6, 7), 0, 255);
}
