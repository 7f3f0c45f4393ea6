using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx;

/// <summary>
/// Reads a model's learned logit scale and bias from a combined export that outputs <c>logits_per_image</c>:
/// one run with a blank image and two prompts gives two logits l = s·cos + b, which fix s and b. This is the only
/// place SigLIP's trained values appear in an export (they are not in its config.json).
/// </summary>
internal static class LogitProbe
{
    public static (float Scale, float? Bias)? TryMeasure(OnnxSession session, ITextTokenizer tokenizer, int height, int width)
    {
        var inputs = session.Inputs;
        if (!session.Outputs.ContainsKey("logits_per_image") || !session.Outputs.ContainsKey("text_embeds") || !session.Outputs.ContainsKey("image_embeds")
            || !inputs.TryGetValue("pixel_values", out var pixels) || !inputs.ContainsKey("input_ids"))
        {
            return null;
        }

        // Two prompts far apart in meaning, so their cosines with the image differ.
        string[] prompts = ["a photo of a cat", "an empty white page"];
        var sequence = inputs["input_ids"].Dimensions[1] > 0 ? inputs["input_ids"].Dimensions[1] : tokenizer.ContextLength;
        var ids = new long[2 * sequence];
        var mask = new long[2 * sequence];
        using (var tokens = TokenizedBatch.Encode(tokenizer, prompts, sequence))
        {
            tokens.WriteTo(sequence, ids, mask, tokenizer.PaddingId);
        }

        var release = new List<Action>();
        var names = new List<string> { "input_ids", "pixel_values" };
        var image = new float[3 * height * width];
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(ids, [2, sequence]),
            TensorSlots.FloatInput(pixels.ElementDataType, image, image.Length, [1, 3, height, width], release),
        };
        if (inputs.ContainsKey("attention_mask"))
        {
            names.Add("attention_mask");
            values.Add(OrtValue.CreateTensorValueFromMemory(mask, [2, sequence]));
        }

        try
        {
            using var run = new RunOptions();
            using var outputs = session.Session.Run(run, names, values, ["logits_per_image", "text_embeds", "image_embeds"]);
            var logits = Read(outputs[0], 2);
            var text = Read(outputs[1], -1);
            var img = Read(outputs[2], -1);
            var d = img.Length;
            var c0 = Cosine(img, text.AsSpan(0, d));
            var c1 = Cosine(img, text.AsSpan(d, d));
            if (Math.Abs(c0 - c1) < 1e-4)
            {
                return null;
            }

            var scale = (logits[0] - logits[1]) / (c0 - c1);
            var bias = logits[0] - (scale * c0);
            if (!(scale > 0) || !double.IsFinite(bias))
            {
                return null;
            }

            // A bias that is float noise around zero means a softmax (CLIP) model.
            return ((float)scale, Math.Abs(bias) < 1e-3 * scale ? null : (float)bias);
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
            release.ForEach(r => r());
        }
    }

    private static float[] Read(OrtValue value, int expected)
    {
        var length = (int)value.GetTensorTypeAndShape().ElementCount;
        var result = new float[expected > 0 ? Math.Min(expected, length) : length];
        if (value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float16)
        {
            var half = value.GetTensorDataAsSpan<Float16>();
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (float)half[i];
            }
        }
        else
        {
            value.GetTensorDataAsSpan<float>()[..result.Length].CopyTo(result);
        }

        return result;
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
