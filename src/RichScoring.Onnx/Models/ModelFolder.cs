using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Onnx;

/// <summary>
/// What a model folder holds, found from its files (never assumed): which ONNX files serve text and images, the
/// tokenizer files, the preprocessing, the family and the logit scale.
/// </summary>
internal sealed class ModelFolder
{
    private static readonly string[] TokenizerFiles = ["vocab.json", "merges.txt", "tokenizer.json", "bpe_simple_vocab_16e6.txt.gz", "spiece.model"];

    private ModelFolder(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public ModelFamily Family { get; private set; }

    /// <summary>The ONNX file that serves text (a split text model or the combined model); null when none does.</summary>
    public string? TextModel { get; private set; }

    /// <summary>The ONNX file that serves images; null when none does.</summary>
    public string? VisionModel { get; private set; }

    /// <summary>Whether <see cref="TextModel"/> is the combined model (which then needs a dummy image).</summary>
    public bool TextIsCombined { get; private set; }

    /// <summary>Whether <see cref="VisionModel"/> is the combined model (which then needs a dummy text).</summary>
    public bool VisionIsCombined { get; private set; }

    public PreprocessorConfig Preprocessing { get; private set; } = PreprocessorConfig.OpenAiClip;

    public bool HasPreprocessorConfig { get; private set; }

    public int? ProjectionDim { get; private set; }

    public int? ContextLength { get; private set; }

    /// <summary>An explicit logit scale from config.json (rare: exports usually leave it in the weights).</summary>
    public float? LogitScale { get; private set; }

    /// <summary>An explicit logit bias from config.json.</summary>
    public float? LogitBias { get; private set; }

    private readonly Lock _logitsLock = new();
    private (float? Scale, float? Bias)? _logits;

    /// <summary>
    /// The logit scale and bias, resolved once: options, then config.json, then a probe of the combined model when one
    /// is loaded, then the family default (100 for CLIP — every OpenAI checkpoint ends training clamped there; none for SigLIP).
    /// </summary>
    public (float? Scale, float? Bias) ResolveLogits(OnnxModelOptions options, Func<(float Scale, float? Bias)?>? probe)
    {
        lock (_logitsLock)
        {
            if (_logits is { } known)
            {
                return known;
            }

            var result = ExplicitLogits(options);
            if ((result.Scale is null || (Family == ModelFamily.SigLip && result.Bias is null)) && probe?.Invoke() is { } measured)
            {
                result = (result.Scale ?? measured.Scale, result.Bias ?? measured.Bias);
            }

            result.Scale ??= Family == ModelFamily.Clip ? 100f : null;
            _logits = result;
            return result;
        }
    }

    /// <summary>The logit scale and bias known without running a model: the options', else config.json's.</summary>
    public (float? Scale, float? Bias) ExplicitLogits(OnnxModelOptions options) =>
        (options.LogitScale ?? LogitScale, options.LogitBias ?? LogitBias);

    public string ModelId { get; private set; } = "";

    /// <summary>The image size a model's <c>pixel_values</c> [batch, 3, height, width] takes: its fixed axes, else the preprocessing's.</summary>
    public (int Height, int Width) PixelSize(NodeMetadata? pixels) =>
        (pixels?.Dimensions is [_, _, > 0 and var h, _] ? h : Preprocessing.OutputHeight,
         pixels?.Dimensions is [_, _, _, > 0 and var w] ? w : Preprocessing.OutputWidth);

    private int _logitsWarned;

    /// <summary>True the first time it is called: a warning about the logits is logged once per folder, not per encoder.</summary>
    public bool FirstLogitsWarning() => Interlocked.Exchange(ref _logitsWarned, 1) == 0;

    public static ModelFolder Open(string path, OnnxModelOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new ModelFolderException($"Model folder '{full}' does not exist.") { Folder = full };
        }

        var folder = new ModelFolder(full);
        folder.ReadConfig();
        folder.FindModels(options.Variant);
        folder.ReadPreprocessing(options);
        folder.ModelId = options.ModelId ?? DefaultModelId(full, options.Variant);
        return folder;
    }

    /// <summary>A file of the folder, or null when absent.</summary>
    public string? File(string relative)
    {
        var p = System.IO.Path.Combine(Path, relative);
        return System.IO.File.Exists(p) ? p : null;
    }

    /// <summary>The files that could matter, for error messages: ONNX files, tokenizer and config files.</summary>
    public string DescribeContents()
    {
        var files = Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace('\\', '/'))
            .Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                        || TokenizerFiles.Contains(System.IO.Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .Take(40)
            .ToList();
        return files.Count == 0 ? "no model, tokenizer or config files" : string.Join(", ", files);
    }

    public ModelFolderException Error(string message, Exception? inner = null) =>
        new($"Model folder '{Path}': {message}", inner) { Folder = Path };

    private static string DefaultModelId(string path, ModelVariant variant)
    {
        var name = System.IO.Path.GetFileName(path.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
        return variant switch
        {
            ModelVariant.Quantized => name + ":quantized",
            ModelVariant.Fp16 => name + ":fp16",
            _ => name,
        };
    }

    private void FindModels(ModelVariant variant)
    {
        var suffix = variant switch
        {
            ModelVariant.Quantized => "_quantized",
            ModelVariant.Fp16 => "_fp16",
            _ => "",
        };

        // Prefer split files: a combined model used for one modality must also be fed a dummy of the other.
        var combined = File($"model{suffix}.onnx") ?? File($"onnx/model{suffix}.onnx");
        TextModel = File($"onnx/text_model{suffix}.onnx") ?? File($"text_model{suffix}.onnx");
        VisionModel = File($"onnx/vision_model{suffix}.onnx") ?? File($"vision_model{suffix}.onnx");
        if (TextModel is null && combined is not null)
        {
            TextModel = combined;
            TextIsCombined = true;
        }

        if (VisionModel is null && combined is not null)
        {
            VisionModel = combined;
            VisionIsCombined = true;
        }

        if (TextModel is null && VisionModel is null)
        {
            var wanted = suffix.Length == 0
                ? "model.onnx (Hugging Face Optimum) or onnx/text_model.onnx and onnx/vision_model.onnx (transformers.js)"
                : $"model{suffix}.onnx or onnx/text_model{suffix}.onnx and onnx/vision_model{suffix}.onnx (the {variant} variant)";
            throw Error($"expected {wanted}; found {DescribeContents()}.");
        }
    }

    private void ReadConfig()
    {
        var path = File("config.json");
        Family = File("spiece.model") is not null ? ModelFamily.SigLip : ModelFamily.Clip;
        if (path is null)
        {
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
            var root = doc.RootElement;
            var type = String(root, "model_type");
            if (type is not null)
            {
                Family = type.Contains("siglip", StringComparison.OrdinalIgnoreCase) ? ModelFamily.SigLip : ModelFamily.Clip;
            }

            ProjectionDim = Int(root, "projection_dim");
            if (root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object)
            {
                ContextLength = Int(text, "max_position_embeddings");
                ProjectionDim ??= Family == ModelFamily.SigLip ? Int(text, "hidden_size") : null;
            }

            // Only explicit trained values: "logit_scale_init_value" is the value training started from (2.6592), not the learned one.
            LogitScale = Float(root, "logit_scale") is { } s ? MathF.Exp(s) : null;
            LogitBias = Float(root, "logit_bias");
        }
        catch (JsonException ex)
        {
            throw Error($"config.json is not valid JSON ({ex.Message}).", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Error($"config.json has a field of the wrong type ({ex.Message}).", ex);
        }
    }

    private void ReadPreprocessing(OnnxModelOptions options)
    {
        if (options.Preprocessing is { } given)
        {
            Preprocessing = given;
            HasPreprocessorConfig = true;
            return;
        }

        var path = File("preprocessor_config.json");
        if (path is null)
        {
            Preprocessing = Family == ModelFamily.SigLip ? PreprocessorConfig.SigLip : PreprocessorConfig.OpenAiClip;
            return;
        }

        try
        {
            Preprocessing = PreprocessorConfigParser.Parse(System.IO.File.ReadAllText(path), path);
            HasPreprocessorConfig = true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidDataException or ArgumentException)
        {
            throw Error($"preprocessor_config.json cannot be used: {ex.Message}", ex);
        }
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static float? Float(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetSingle() : null;
}
