namespace RichScoring.Onnx;

/// <summary>Which weights of a transformers.js-style export to load.</summary>
public enum ModelVariant
{
    /// <summary>The full-precision files (<c>text_model.onnx</c>, <c>vision_model.onnx</c>, <c>model.onnx</c>).</summary>
    Default = 0,

    /// <summary>The int8 files (<c>*_quantized.onnx</c>): several times faster on CPU, slightly different embeddings.</summary>
    Quantized = 1,

    /// <summary>The float16 files (<c>*_fp16.onnx</c>): half the size; mostly for GPUs.</summary>
    Fp16 = 2,
}
