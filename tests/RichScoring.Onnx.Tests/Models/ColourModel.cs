using System.Text.Json;
using System.Text.Json.Nodes;
using RichScoring.Testing.Onnx;

namespace RichScoring.Onnx.Tests.Models;

/// <summary>
/// Writes a tiny CLIP-shaped "colour" model whose outputs are known in closed form, in the folder layouts real
/// exports use. Image tower: the mean colour of the (un-normalized) pixels, as (r, g, b, darkness = relu(1 − r − g − b)),
/// projected by an orthonormal 4 × D matrix. Text tower: a token-embedding table in which colour words have their
/// colour, pooled CLIP-style by a cumulative sum read at the first end token (argmax of the ids), projected the same way.
/// So "a photo of something red" is closest to a red image and orthogonal to a blue one.
/// </summary>
internal static class ColourModel
{
    public static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    public static readonly Dictionary<string, float[]> Colours = new()
    {
        ["red"] = [1, 0, 0, 0],
        ["green"] = [0, 1, 0, 0],
        ["blue"] = [0, 0, 1, 0],
        ["yellow"] = [1, 1, 0, 0],
        ["cyan"] = [0, 1, 1, 0],
        ["magenta"] = [1, 0, 1, 0],
        ["white"] = [1, 1, 1, 0],
        ["black"] = [0, 0, 0, 1],
    };

    /// <summary>The end token's own row: small but non-zero, so pooling at the wrong position would show.</summary>
    public static readonly float[] EndRow = [0.01f, 0.02f, 0.03f, 0.04f];

    /// <summary>The 4-d feature of an image of one flat colour (r, g, b in 0..1).</summary>
    public static float[] ImageFeature(float r, float g, float b) => [r, g, b, MathF.Max(0, 1 - r - g - b)];

    /// <summary>The orthonormal projection 4 × D used by every generated model (seeded, so tests can recompute it).</summary>
    public static float[] Projection(int dimension)
    {
        var rng = new Random(1234);
        var rows = new double[4][];
        for (var i = 0; i < 4; i++)
        {
            var v = new double[dimension];
            for (var j = 0; j < dimension; j++)
            {
                v[j] = rng.NextDouble() - 0.5;
            }

            for (var k = 0; k < i; k++)
            {
                var dot = v.Zip(rows[k]).Sum(p => p.First * p.Second);
                for (var j = 0; j < dimension; j++)
                {
                    v[j] -= dot * rows[k][j];
                }
            }

            var norm = Math.Sqrt(v.Sum(x => x * x));
            rows[i] = [.. v.Select(x => x / norm)];
        }

        return [.. rows.SelectMany(r => r).Select(x => (float)x)];
    }

    /// <summary>The expected (normalized) embedding of a 4-d feature: projection then L2 normalisation.</summary>
    public static float[] Embed(float[] feature, int dimension)
    {
        var w = Projection(dimension);
        var e = new double[dimension];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < dimension; j++)
            {
                e[j] += feature[i] * w[(i * dimension) + j];
            }
        }

        var norm = Math.Sqrt(e.Sum(x => x * x));
        return [.. e.Select(x => (float)(x / norm))];
    }

    /// <summary>Writes a complete model folder and returns its path.</summary>
    public static string WriteFolder(string folder, ColourModelOptions? options = null)
    {
        options ??= new ColourModelOptions();
        Directory.CreateDirectory(folder);
        var vocab = ColourVocabulary.Create();

        if (options.Layout == ColourModelLayout.Optimum)
        {
            var g = new OnnxGraphBuilder("colour-clip");
            var text = TextTower(g, vocab, options, normalize: true, fp16: false);
            var image = ImageTower(g, options, normalize: true, fp16: false);
            var scale = g.Floats([options.LogitScale], 1);
            var textT = g.Node("Transpose", [text], attributes: OnnxProto.IntsAttribute("perm", [1, 0]));
            var cos = g.Node("MatMul", [image, textT]);
            var logits = g.Node("Mul", [cos, scale], "logits_per_image");
            g.Node("Transpose", [logits], "logits_per_text", OnnxProto.IntsAttribute("perm", [1, 0]));
            g.Output("logits_per_image", OnnxProto.Float, "image_batch_size", "text_batch_size");
            g.Output("logits_per_text", OnnxProto.Float, "text_batch_size", "image_batch_size");
            g.Save(Path.Combine(folder, "model.onnx"));
        }
        else
        {
            foreach (var (suffix, fp16) in Variants(options))
            {
                var t = new OnnxGraphBuilder("colour-clip-text");
                TextTower(t, vocab, options, normalize: false, fp16);
                t.Save(Path.Combine(folder, "onnx", $"text_model{suffix}.onnx"));

                var v = new OnnxGraphBuilder("colour-clip-vision");
                ImageTower(v, options, normalize: false, fp16);
                v.Save(Path.Combine(folder, "onnx", $"vision_model{suffix}.onnx"));
            }
        }

        WriteTokenizer(folder, vocab, options);
        WriteConfigs(folder, vocab, options);
        return folder;
    }

    private static IEnumerable<(string Suffix, bool Fp16)> Variants(ColourModelOptions options)
    {
        yield return ("", false);
        if (options.Variants)
        {
            yield return ("_fp16", true);
            yield return ("_quantized", false); // same graph: what matters is that the option picks this file
        }
    }

    private static string TextTower(OnnxGraphBuilder g, ColourVocabulary vocab, ColourModelOptions o, bool normalize, bool fp16)
    {
        object batch = o.StaticBatch ? 1L : "text_batch_size";
        object seq = o.StaticSequence ? 77L : "sequence_length";
        g.Input(o.InputIdsName, OnnxProto.Int64, batch, seq);
        if (o.AttentionMask)
        {
            g.Input("attention_mask", OnnxProto.Int64, batch, seq);
        }

        var table = new float[vocab.Size * 4];
        foreach (var (word, colour) in Colours)
        {
            colour.CopyTo(table, vocab.WordId(word) * 4);
        }

        EndRow.CopyTo(table, vocab.EndId * 4);
        var tableName = g.Floats(table, vocab.Size, 4);
        var emb = g.Node("Gather", [tableName, o.InputIdsName], attributes: OnnxProto.IntAttribute("axis", 0));
        if (o.AttentionMask)
        {
            var mask = g.Node("Cast", ["attention_mask"], attributes: OnnxProto.IntAttribute("to", OnnxProto.Float));
            var mask3 = g.Node("Unsqueeze", [mask, g.Int64s([2], 1)]);
            emb = g.Node("Mul", [emb, mask3]);
        }

        var cumsum = g.Node("CumSum", [emb, g.Int64s([1])]);
        var position = g.Node("ArgMax", [o.InputIdsName], attributes: [OnnxProto.IntAttribute("axis", 1), OnnxProto.IntAttribute("keepdims", 1)]);
        var pooled = g.Node("GatherND", [cumsum, position], attributes: OnnxProto.IntAttribute("batch_dims", 1));
        return Project(g, pooled, "text_embeds", batch, o, normalize, fp16);
    }

    private static string ImageTower(OnnxGraphBuilder g, ColourModelOptions o, bool normalize, bool fp16)
    {
        object batch = o.StaticBatch ? 1L : "image_batch_size";
        g.Input(o.PixelValuesName, fp16 ? OnnxProto.Float16 : OnnxProto.Float, batch, 3L, (long)o.ImageSize, (long)o.ImageSize);
        var pixels = fp16
            ? g.Node("Cast", [o.PixelValuesName], attributes: OnnxProto.IntAttribute("to", OnnxProto.Float))
            : o.PixelValuesName;
        var mean = g.Node("ReduceMean", [pixels], attributes: [OnnxProto.IntsAttribute("axes", [2, 3]), OnnxProto.IntAttribute("keepdims", 0)]);
        var rgb = g.Node("Add", [g.Node("Mul", [mean, g.Floats(Std, 1, 3)]), g.Floats(Mean, 1, 3)]);
        var sum = g.Node("ReduceSum", [rgb, g.Int64s([1], 1)], attributes: OnnxProto.IntAttribute("keepdims", 1));
        var dark = g.Node("Relu", [g.Node("Sub", [g.Floats([1f], 1, 1), sum])]);
        var feature = g.Node("Concat", [rgb, dark], attributes: OnnxProto.IntAttribute("axis", 1));
        return Project(g, feature, "image_embeds", batch, o, normalize, fp16);
    }

    private static string Project(OnnxGraphBuilder g, string feature, string output, object batch, ColourModelOptions o, bool normalize, bool fp16)
    {
        var projected = g.Node("MatMul", [feature, g.Floats(Projection(o.Dimension), 4, o.Dimension)]);
        if (normalize)
        {
            projected = g.Node("LpNormalization", [projected], attributes: [OnnxProto.IntAttribute("axis", -1), OnnxProto.IntAttribute("p", 2)]);
        }

        if (fp16)
        {
            g.Node("Cast", [projected], output, OnnxProto.IntAttribute("to", OnnxProto.Float16));
        }
        else
        {
            g.Node("Identity", [projected], output);
        }

        g.Output(output, fp16 ? OnnxProto.Float16 : OnnxProto.Float, batch, (long)o.Dimension);
        return output;
    }

    private static void WriteTokenizer(string folder, ColourVocabulary vocab, ColourModelOptions o)
    {
        switch (o.Tokenizer)
        {
            case "vocab":
                vocab.WriteVocabJson(Path.Combine(folder, "vocab.json"));
                vocab.WriteMergesTxt(Path.Combine(folder, "merges.txt"));
                break;
            case "tokenizer.json":
                var json = new JsonObject
                {
                    ["version"] = "1.0",
                    ["model"] = new JsonObject
                    {
                        ["type"] = "BPE",
                        ["vocab"] = JsonSerializer.SerializeToNode(vocab.Vocab),
                        ["merges"] = new JsonArray([.. vocab.Merges.Select(m => (JsonNode)JsonValue.Create($"{m.Left} {m.Right}"))]),
                        ["end_of_word_suffix"] = "</w>",
                    },
                };
                File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
                break;
        }
    }

    private static void WriteConfigs(string folder, ColourVocabulary vocab, ColourModelOptions o)
    {
        var config = new JsonObject
        {
            ["model_type"] = "clip",
            ["projection_dim"] = o.Dimension,
            ["logit_scale_init_value"] = Math.Log(o.LogitScale),
            ["text_config"] = new JsonObject { ["max_position_embeddings"] = 77, ["bos_token_id"] = vocab.StartId, ["eos_token_id"] = vocab.EndId },
            ["vision_config"] = new JsonObject { ["image_size"] = o.ImageSize, ["patch_size"] = 32 },
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());

        var pre = new JsonObject
        {
            ["crop_size"] = new JsonObject { ["height"] = o.ImageSize, ["width"] = o.ImageSize },
            ["do_center_crop"] = true,
            ["do_normalize"] = true,
            ["do_rescale"] = true,
            ["do_resize"] = true,
            ["image_mean"] = new JsonArray([.. Mean.Select(x => (JsonNode)JsonValue.Create(x))]),
            ["image_std"] = new JsonArray([.. Std.Select(x => (JsonNode)JsonValue.Create(x))]),
            ["resample"] = 3,
            ["rescale_factor"] = 1 / 255.0,
            ["size"] = new JsonObject { ["shortest_edge"] = o.ImageSize },
        };
        File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), pre.ToJsonString());
    }
}
