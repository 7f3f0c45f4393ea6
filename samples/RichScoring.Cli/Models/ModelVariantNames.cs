using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>The names the command line uses for <see cref="ModelVariant"/>: quantized, fp32, fp16.</summary>
internal static class ModelVariantNames
{
    /// <summary>The accepted names, in the order help shows them.</summary>
    public static readonly string[] All = ["quantized", "fp32", "fp16"];

    public static string ToName(ModelVariant variant) => variant switch
    {
        ModelVariant.Quantized => "quantized",
        ModelVariant.Fp16 => "fp16",
        _ => "fp32",
    };

    /// <summary>Parses a name (case-insensitive); "default" and "fp32" both mean the full-precision files.</summary>
    public static bool TryParse(string? text, out ModelVariant variant)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "QUANTIZED" or "Q8" or "INT8":
                variant = ModelVariant.Quantized;
                return true;
            case "FP32" or "DEFAULT":
                variant = ModelVariant.Default;
                return true;
            case "FP16":
                variant = ModelVariant.Fp16;
                return true;
            default:
                variant = default;
                return false;
        }
    }

    /// <summary>The ONNX file-name suffix transformers.js uses for a variant.</summary>
    public static string FileSuffix(ModelVariant variant) => variant switch
    {
        ModelVariant.Quantized => "_quantized",
        ModelVariant.Fp16 => "_fp16",
        _ => "",
    };
}
