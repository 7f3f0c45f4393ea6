using System.Text.Json.Nodes;
using RichScoring.Onnx.Tests.Tokenization;
using RichScoring.Testing.Onnx;

namespace RichScoring.Onnx.Tests.Models;

/// <summary>
/// A SigLIP-shaped colour model: SentencePiece tokenizer (spiece.model), no attention mask, text pooled over the whole
/// padded sequence (as SigLIP reads its last position after bidirectional attention, padding matters, so the encoder
/// must always pad to 64), plain resize with mean = std = 0.5, and logits = scale · cos + bias in the combined layout.
/// </summary>
internal static class SigLipColourModel
{
    public const float Scale = 10f;
    public const float Bias = -5f;
    public const int Context = 64;

    /// <summary>The row of &lt;/s&gt; (end and padding): tiny, since 60-odd of them are summed, but enough to show trimming.</summary>
    public static readonly float[] EndRow = [0.001f, 0.002f, 0.003f, 0.004f];

    private static readonly string[] Words = ["red", "green", "blue", "yellow", "cyan", "magenta", "white", "black", "a", "photo", "of", "something", "the", "duck"];

    /// <summary>Pieces: &lt;pad&gt; 0, &lt;/s&gt; 1, &lt;unk&gt; 2, ▁ 3, one piece per word, then single letters.</summary>
    public static (string Piece, float Score, int Type)[] Pieces()
    {
        var pieces = new List<(string, float, int)>
        {
            ("<pad>", 0, SentencePieceModelBuilder.Control),
            ("</s>", 0, SentencePieceModelBuilder.Control),
            ("<unk>", 0, SentencePieceModelBuilder.Unknown),
            ("\u2581", -3f, SentencePieceModelBuilder.Normal),
        };
        pieces.AddRange(Words.Select(w => ("\u2581" + w, -1f, SentencePieceModelBuilder.Normal)));
        pieces.AddRange("abcdefghijklmnopqrstuvwxyz".Select(c => (c.ToString(), -6f, SentencePieceModelBuilder.Normal)));
        return [.. pieces];
    }

    public static int PieceId(string word) => Array.FindIndex(Pieces(), p => p.Piece == "\u2581" + word);

    /// <summary>The 4-d text feature of a prompt made of colour words and filler: colours plus one end row per &lt;/s&gt; (end and padding).</summary>
    public static float[] TextFeature(int wordTokens, params string[] colours)
    {
        var f = new float[4];
        foreach (var c in colours)
        {
            for (var i = 0; i < 4; i++)
            {
                f[i] += ColourModel.Colours[c][i];
            }
        }

        for (var i = 0; i < 4; i++)
        {
            f[i] += (Context - wordTokens) * EndRow[i];
        }

        return f;
    }

    public static string WriteFolder(string folder, bool combined)
    {
        Directory.CreateDirectory(folder);
        var pieces = Pieces();
        File.WriteAllBytes(Path.Combine(folder, "spiece.model"), SentencePieceModelBuilder.Build(pieces));

        if (combined)
        {
            var g = new OnnxGraphBuilder("siglip-colour");
            var text = Text(g, pieces);
            var image = Image(g);
            var cos = g.Node("MatMul", [image, g.Node("Transpose", [text], attributes: OnnxProto.IntsAttribute("perm", [1, 0]))]);
            var logits = g.Node("Add", [g.Node("Mul", [cos, g.Floats([Scale], 1)]), g.Floats([Bias], 1)], "logits_per_image");
            g.Node("Transpose", [logits], "logits_per_text", OnnxProto.IntsAttribute("perm", [1, 0]));
            g.Output("logits_per_image", OnnxProto.Float, "image_batch_size", "text_batch_size");
            g.Output("logits_per_text", OnnxProto.Float, "text_batch_size", "image_batch_size");
            g.Save(Path.Combine(folder, "model.onnx"));
        }
        else
        {
            var t = new OnnxGraphBuilder("siglip-colour-text");
            Text(t, pieces);
            t.Save(Path.Combine(folder, "onnx", "text_model.onnx"));
            var v = new OnnxGraphBuilder("siglip-colour-vision");
            Image(v);
            v.Save(Path.Combine(folder, "onnx", "vision_model.onnx"));
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["model_type"] = "siglip",
            ["text_config"] = new JsonObject { ["max_position_embeddings"] = Context, ["hidden_size"] = 32 },
        }.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"), new JsonObject
        {
            ["do_resize"] = true,
            ["size"] = new JsonObject { ["height"] = 224, ["width"] = 224 },
            ["resample"] = 2,
            ["do_rescale"] = true,
            ["rescale_factor"] = 1 / 255.0,
            ["do_normalize"] = true,
            ["image_mean"] = new JsonArray(0.5, 0.5, 0.5),
            ["image_std"] = new JsonArray(0.5, 0.5, 0.5),
            ["image_processor_type"] = "SiglipImageProcessor",
        }.ToJsonString());
        return folder;
    }

    private static string Text(OnnxGraphBuilder g, (string Piece, float Score, int Type)[] pieces)
    {
        g.Input("input_ids", OnnxProto.Int64, "text_batch_size", "sequence_length");
        var table = new float[pieces.Length * 4];
        foreach (var (word, colour) in ColourModel.Colours)
        {
            colour.CopyTo(table, PieceId(word) * 4);
        }

        EndRow.CopyTo(table, 1 * 4); // </s>, which is also the padding
        var emb = g.Node("Gather", [g.Floats(table, pieces.Length, 4), "input_ids"], attributes: OnnxProto.IntAttribute("axis", 0));
        var pooled = g.Node("ReduceSum", [emb, g.Int64s([1], 1)], attributes: OnnxProto.IntAttribute("keepdims", 0));
        var projected = g.Node("MatMul", [pooled, g.Floats(ColourModel.Projection(32), 4, 32)]);
        g.Node("LpNormalization", [projected], "text_embeds", OnnxProto.IntAttribute("axis", -1), OnnxProto.IntAttribute("p", 2));
        g.Output("text_embeds", OnnxProto.Float, "text_batch_size", 32L);
        return "text_embeds";
    }

    private static string Image(OnnxGraphBuilder g)
    {
        g.Input("pixel_values", OnnxProto.Float, "image_batch_size", 3L, 224L, 224L);
        var mean = g.Node("ReduceMean", ["pixel_values"], attributes: [OnnxProto.IntsAttribute("axes", [2, 3]), OnnxProto.IntAttribute("keepdims", 0)]);
        var rgb = g.Node("Add", [g.Node("Mul", [mean, g.Floats([0.5f, 0.5f, 0.5f], 1, 3)]), g.Floats([0.5f, 0.5f, 0.5f], 1, 3)]);
        var sum = g.Node("ReduceSum", [rgb, g.Int64s([1], 1)], attributes: OnnxProto.IntAttribute("keepdims", 1));
        var dark = g.Node("Relu", [g.Node("Sub", [g.Floats([1f], 1, 1), sum])]);
        var feature = g.Node("Concat", [rgb, dark], attributes: OnnxProto.IntAttribute("axis", 1));
        var projected = g.Node("MatMul", [feature, g.Floats(ColourModel.Projection(32), 4, 32)]);
        g.Node("LpNormalization", [projected], "image_embeds", OnnxProto.IntAttribute("axis", -1), OnnxProto.IntAttribute("p", 2));
        g.Output("image_embeds", OnnxProto.Float, "image_batch_size", 32L);
        return "image_embeds";
    }
}
