namespace RichScoring.Onnx.Tests.Models;

internal enum ColourModelLayout
{
    /// <summary>Hugging Face Optimum: one model.onnx with both towers and the logits.</summary>
    Optimum,

    /// <summary>transformers.js: onnx/text_model.onnx and onnx/vision_model.onnx, embeddings not normalized.</summary>
    Split,
}

internal sealed record ColourModelOptions
{
    public ColourModelLayout Layout { get; init; } = ColourModelLayout.Optimum;

    public int Dimension { get; init; } = 32;

    public int ImageSize { get; init; } = 224;

    public bool AttentionMask { get; init; } = true;

    /// <summary>A fixed batch axis of 1 instead of a symbolic one.</summary>
    public bool StaticBatch { get; init; }

    /// <summary>A fixed sequence axis of 77 instead of a symbolic one.</summary>
    public bool StaticSequence { get; init; }

    /// <summary>Name of the image input (to produce a folder of the wrong shape).</summary>
    public string PixelValuesName { get; init; } = "pixel_values";

    /// <summary>Name of the token input.</summary>
    public string InputIdsName { get; init; } = "input_ids";

    /// <summary>Also write the *_fp16.onnx (float16 inputs and outputs) and *_quantized.onnx (int8 weights) variants.</summary>
    public bool Variants { get; init; }

    /// <summary>Tokenizer files: "vocab" (vocab.json + merges.txt), "tokenizer.json", or "none".</summary>
    public string Tokenizer { get; init; } = "vocab";

    public float LogitScale { get; init; } = 100f;
}
