using Microsoft.ML.OnnxRuntime;
using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Onnx;

/// <summary>How a model folder is loaded and run.</summary>
public sealed class OnnxModelOptions
{
    /// <summary>Which weights to load from a transformers.js-style folder. Default <see cref="ModelVariant.Default"/>.</summary>
    public ModelVariant Variant { get; set; } = ModelVariant.Default;

    /// <summary>
    /// The id of the embedding space, part of every cache key. Default: the folder name, with the variant appended
    /// for quantized and fp16 weights (their embeddings differ slightly from the full-precision ones).
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>Most texts per inference call. Default 64.</summary>
    public int MaxTextBatchSize { get; set; } = 64;

    /// <summary>Most images per inference call (larger batches hold more pixel memory). Default 16.</summary>
    public int MaxImageBatchSize { get; set; } = 16;

    /// <summary>
    /// Threads each ONNX Runtime session may use inside an operator. Default: the processor count. Text and image
    /// sessions each have their own pool, so lower this when both run at once on a small machine.
    /// </summary>
    public int? IntraOpThreads { get; set; }

    /// <summary>
    /// Whether idle ONNX Runtime worker threads spin waiting for work. Default false: spinning wins a little latency
    /// but burns the cores that preprocessing and the other session need.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Graph optimisation level. Default all optimisations.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Run on an NVIDIA GPU through the CUDA execution provider; requires the application to reference
    /// <c>Microsoft.ML.OnnxRuntime.Gpu</c> instead of <c>Microsoft.ML.OnnxRuntime</c>. Default false.
    /// </summary>
    public bool UseCuda { get; set; }

    /// <summary>CUDA device to use with <see cref="UseCuda"/>. Default 0.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>A last chance to adjust the session options (other execution providers, profiling, memory arena).</summary>
    public Action<SessionOptions>? ConfigureSession { get; set; }

    /// <summary>How images are decoded: pixel limit, alpha handling, EXIF orientation.</summary>
    public ImageDecodeOptions ImageDecoding { get; set; } = ImageDecodeOptions.Default;

    /// <summary>Overrides the folder's <c>preprocessor_config.json</c>.</summary>
    public PreprocessorConfig? Preprocessing { get; set; }

    /// <summary>Overrides the logit scale (the factor on cosine similarity before softmax or sigmoid).</summary>
    public float? LogitScale { get; set; }

    /// <summary>Overrides the logit bias of sigmoid models (SigLIP).</summary>
    public float? LogitBias { get; set; }

    /// <summary>
    /// The token id used to pad text batches. Default: the end token for CLIP (as Hugging Face pads), the pad token
    /// for SigLIP. CLIP pools at the end token, so the choice does not change embeddings.
    /// </summary>
    public int? PaddingTokenId { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTextBatchSize, 1, nameof(MaxTextBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxImageBatchSize, 1, nameof(MaxImageBatchSize));
        if (IntraOpThreads is { } threads)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(IntraOpThreads));
        }

        if (LogitScale is { } scale && !(scale > 0 && float.IsFinite(scale)))
        {
            throw new ArgumentOutOfRangeException(nameof(LogitScale), scale, "The logit scale must be a positive finite number.");
        }

        ArgumentNullException.ThrowIfNull(ImageDecoding, nameof(ImageDecoding));
    }
}
