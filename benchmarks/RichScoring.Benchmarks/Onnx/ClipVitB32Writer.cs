using System.Text.Json.Nodes;
using RichScoring.Testing.Onnx;

namespace RichScoring.Benchmarks.Onnx;

/// <summary>
/// Writes, on demand, a model with CLIP ViT-B/32's exact architecture and random weights in the Hugging Face Optimum
/// layout (model.onnx + tokenizer + configs), so encoder throughput can be measured without downloading anything.
/// Image tower: patch 32, width 768, 12 layers, 12 heads, MLP 3072, 50 tokens, projection 512. Text tower: width 512,
/// 12 layers, 8 heads, MLP 2048, 77 tokens, vocabulary 49408, causal mask, projection 512. About 600 MB; never committed.
/// </summary>
internal static class ClipVitB32Writer
{
    private const int Vocab = 49408;
    private const int Context = 77;
    private const int Projection = 512;

    public static void Write(string folder, string? bpeVocabularyGz)
    {
        Directory.CreateDirectory(folder);
        var rng = new Random(42);
        var g = new OnnxGraphBuilder("clip-vit-b32-random");
        g.Input("input_ids", OnnxProto.Int64, "text_batch_size", "sequence_length");
        g.Input("attention_mask", OnnxProto.Int64, "text_batch_size", "sequence_length");
        g.Input("pixel_values", OnnxProto.Float, "image_batch_size", 3L, 224L, 224L);

        var text = TextTower(g, rng);
        var image = VisionTower(g, rng);
        var textT = g.Node("Transpose", [text], attributes: OnnxProto.IntsAttribute("perm", [1, 0]));
        var logits = g.Node("Mul", [g.Node("MatMul", [image, textT]), g.Floats([100f], 1)], "logits_per_image");
        g.Node("Transpose", [logits], "logits_per_text", OnnxProto.IntsAttribute("perm", [1, 0]));
        g.Output("text_embeds", OnnxProto.Float, "text_batch_size", (long)Projection);
        g.Output("image_embeds", OnnxProto.Float, "image_batch_size", (long)Projection);
        g.Output("logits_per_image", OnnxProto.Float, "image_batch_size", "text_batch_size");
        g.Output("logits_per_text", OnnxProto.Float, "text_batch_size", "image_batch_size");
        g.Save(Path.Combine(folder, "model.onnx"));

        if (bpeVocabularyGz is not null)
        {
            // Copied into the benchmark's own model folder (outside the repository's tracked files), never committed.
            var target = Path.Combine(folder, "bpe_simple_vocab_16e6.txt.gz");
            File.WriteAllBytes(target, File.ReadAllBytes(bpeVocabularyGz));
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["model_type"] = "clip",
            ["projection_dim"] = Projection,
            ["text_config"] = new JsonObject { ["max_position_embeddings"] = Context },
        }.ToJsonString());
    }

    private static string TextTower(OnnxGraphBuilder g, Random rng)
    {
        const int width = 512;
        var tokens = g.Node("Gather", [Weights(g, rng, Vocab, width), "input_ids"], attributes: OnnxProto.IntAttribute("axis", 0));
        var seq = g.Node("Slice", [g.Node("Shape", ["input_ids"]), g.Int64s([1], 1), g.Int64s([2], 1)]);
        var positions = g.Node("Slice", [Weights(g, rng, Context, width), g.Int64s([0], 1), seq, g.Int64s([0], 1)]);
        var x = g.Node("Add", [tokens, positions]);

        // Causal mask (−inf above the diagonal) cut to the sequence length, plus the padding mask.
        var causal = new float[Context * Context];
        for (var i = 0; i < Context; i++)
        {
            for (var j = i + 1; j < Context; j++)
            {
                causal[(i * Context) + j] = -1e9f;
            }
        }

        var seq2 = g.Node("Concat", [seq, seq], attributes: OnnxProto.IntAttribute("axis", 0));
        var causalMask = g.Node("Slice", [g.Floats(causal, Context, Context), g.Int64s([0, 0], 2), seq2, g.Int64s([0, 1], 2)]);
        var keep = g.Node("Cast", ["attention_mask"], attributes: OnnxProto.IntAttribute("to", OnnxProto.Float));
        var padMask = g.Node("Mul", [g.Node("Sub", [g.Floats([1f], 1), keep]), g.Floats([-1e9f], 1)]);
        var mask = g.Node("Add", [causalMask, g.Node("Unsqueeze", [padMask, g.Int64s([1, 2], 2)])]);

        for (var layer = 0; layer < 12; layer++)
        {
            x = EncoderLayer(g, rng, x, width, heads: 8, mlp: 2048, mask);
        }

        x = LayerNorm(g, x, width);
        var eot = g.Node("ArgMax", ["input_ids"], attributes: [OnnxProto.IntAttribute("axis", 1), OnnxProto.IntAttribute("keepdims", 1)]);
        var pooled = g.Node("GatherND", [x, eot], attributes: OnnxProto.IntAttribute("batch_dims", 1));
        var projected = g.Node("MatMul", [pooled, Weights(g, rng, width, Projection)]);
        return g.Node("LpNormalization", [projected], "text_embeds", OnnxProto.IntAttribute("axis", -1), OnnxProto.IntAttribute("p", 2));
    }

    private static string VisionTower(OnnxGraphBuilder g, Random rng)
    {
        const int width = 768;
        var patches = g.Node("Conv", ["pixel_values", Weights(g, rng, width, 3, 32, 32)],
            attributes: [OnnxProto.IntsAttribute("kernel_shape", [32, 32]), OnnxProto.IntsAttribute("strides", [32, 32])]);
        var flat = g.Node("Reshape", [patches, g.Int64s([0, width, 49], 3)]);
        var sequence = g.Node("Transpose", [flat], attributes: OnnxProto.IntsAttribute("perm", [0, 2, 1]));
        var batch = g.Node("Slice", [g.Node("Shape", ["pixel_values"]), g.Int64s([0], 1), g.Int64s([1], 1)]);
        var classShape = g.Node("Concat", [batch, g.Int64s([1, width], 2)], attributes: OnnxProto.IntAttribute("axis", 0));
        var cls = g.Node("Expand", [Weights(g, rng, 1, 1, width), classShape]);
        var x = g.Node("Concat", [cls, sequence], attributes: OnnxProto.IntAttribute("axis", 1));
        x = g.Node("Add", [x, Weights(g, rng, 50, width)]);
        x = LayerNorm(g, x, width); // pre_layrnorm

        for (var layer = 0; layer < 12; layer++)
        {
            x = EncoderLayer(g, rng, x, width, heads: 12, mlp: 3072, mask: null);
        }

        var first = g.Node("Gather", [x, g.Int64s([0])], attributes: OnnxProto.IntAttribute("axis", 1));
        var pooled = LayerNorm(g, first, width); // post_layernorm
        var projected = g.Node("MatMul", [pooled, Weights(g, rng, width, Projection)]);
        return g.Node("LpNormalization", [projected], "image_embeds", OnnxProto.IntAttribute("axis", -1), OnnxProto.IntAttribute("p", 2));
    }

    private static string EncoderLayer(OnnxGraphBuilder g, Random rng, string x, int width, int heads, int mlp, string? mask)
    {
        var headDim = width / heads;
        var h = LayerNorm(g, x, width);
        var q = SplitHeads(g, Linear(g, rng, h, width, width), heads, headDim, [0, 2, 1, 3]);
        var k = SplitHeads(g, Linear(g, rng, h, width, width), heads, headDim, [0, 2, 3, 1]);
        var v = SplitHeads(g, Linear(g, rng, h, width, width), heads, headDim, [0, 2, 1, 3]);
        var scores = g.Node("Mul", [g.Node("MatMul", [q, k]), g.Floats([1f / MathF.Sqrt(headDim)], 1)]);
        if (mask is not null)
        {
            scores = g.Node("Add", [scores, mask]);
        }

        var attention = g.Node("Softmax", [scores], attributes: OnnxProto.IntAttribute("axis", -1));
        var context = g.Node("Transpose", [g.Node("MatMul", [attention, v])], attributes: OnnxProto.IntsAttribute("perm", [0, 2, 1, 3]));
        var merged = g.Node("Reshape", [context, g.Int64s([0, 0, width], 3)]);
        x = g.Node("Add", [x, Linear(g, rng, merged, width, width)]);

        var m = LayerNorm(g, x, width);
        var up = Linear(g, rng, m, width, mlp);
        var gelu = g.Node("Mul", [up, g.Node("Sigmoid", [g.Node("Mul", [up, g.Floats([1.702f], 1)])])]); // quick_gelu
        return g.Node("Add", [x, Linear(g, rng, gelu, mlp, width)]);
    }

    private static string SplitHeads(OnnxGraphBuilder g, string x, int heads, int headDim, long[] perm)
    {
        var split = g.Node("Reshape", [x, g.Int64s([0, 0, heads, headDim], 4)]);
        return g.Node("Transpose", [split], attributes: OnnxProto.IntsAttribute("perm", perm));
    }

    private static string Linear(OnnxGraphBuilder g, Random rng, string x, int input, int output) =>
        g.Node("Add", [g.Node("MatMul", [x, Weights(g, rng, input, output)]), g.Floats(new float[output], output)]);

    private static string LayerNorm(OnnxGraphBuilder g, string x, int width) =>
        g.Node("LayerNormalization", [x, g.Floats(Enumerable.Repeat(1f, width).ToArray(), width), g.Floats(new float[width], width)],
            attributes: [OnnxProto.IntAttribute("axis", -1), OnnxProto.FloatAttribute("epsilon", 1e-5f)]);

    private static string Weights(OnnxGraphBuilder g, Random rng, params int[] dims)
    {
        var count = dims.Aggregate(1, (a, b) => a * b);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((rng.NextDouble() - 0.5) * 0.04); // uniform, std ≈ 0.0115: small, like a trained init
        }

        return g.Floats(values, [.. dims.Select(d => (long)d)]);
    }
}
