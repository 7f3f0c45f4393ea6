using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RichScoring.Onnx.Tests.Models;

/// <summary>Checks the generated test model itself in a bare ONNX Runtime session, against its closed form.</summary>
public sealed class ColourModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rs-colour-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static long[] Ids(ColourVocabulary v, params string[] words) =>
        [v.StartId, .. words.Select(w => (long)v.WordId(w)), v.EndId];

    private static DenseTensor<float> FlatImage(int size, float r, float g, float b)
    {
        var t = new DenseTensor<float>([1, 3, size, size]);
        float[] rgb = [r, g, b];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    t[0, c, y, x] = (rgb[c] - ColourModel.Mean[c]) / ColourModel.Std[c];
                }
            }
        }

        return t;
    }

    [Fact]
    public void Optimum_model_outputs_its_closed_form()
    {
        ColourModel.WriteFolder(_dir);
        var vocab = ColourVocabulary.Create();
        using var session = new InferenceSession(Path.Combine(_dir, "model.onnx"));

        long[] ids = [.. Ids(vocab, "photo", "of", "something", "red"), vocab.EndId, vocab.EndId]; // padded with end tokens
        long[] mask = [1, 1, 1, 1, 1, 1, 0, 0];
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, [1, mask.Length])),
            NamedOnnxValue.CreateFromTensor("pixel_values", FlatImage(224, 1, 0, 0)),
        ]);

        var text = results.Single(r => r.Name == "text_embeds").AsTensor<float>().ToArray();
        var image = results.Single(r => r.Name == "image_embeds").AsTensor<float>().ToArray();
        var logits = results.Single(r => r.Name == "logits_per_image").AsTensor<float>().ToArray();

        float[] red = [1 + ColourModel.EndRow[0], ColourModel.EndRow[1], ColourModel.EndRow[2], ColourModel.EndRow[3]];
        AssertClose(ColourModel.Embed(red, 32), text);
        AssertClose(ColourModel.Embed(ColourModel.ImageFeature(1, 0, 0), 32), image);
        var cos = text.Zip(image).Sum(p => p.First * p.Second);
        Assert.Equal(100 * cos, logits[0], 3);
        Assert.True(cos > 0.99, $"cos {cos}");
    }

    [Fact]
    public void Every_colour_word_is_one_token()
    {
        var vocab = ColourVocabulary.Create();
        Assert.Equal(vocab.Size - 1, vocab.EndId);
        Assert.All(ColourVocabulary.Words, w => Assert.True(vocab.WordId(w) > 511));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 4);
        }
    }
}
