using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>
/// The exports of the built-in catalogue (docs/models.md). All are transformers.js conversions by Xenova on the Hugging
/// Face hub: <c>onnx/text_model{,_quantized,_fp16}.onnx</c> and <c>onnx/vision_model{,_quantized,_fp16}.onnx</c> beside
/// the tokenizer and configs.
/// </summary>
/// <remarks>
/// Revisions follow <c>main</c>, so no size or hash is pinned here (a pin on a moving branch breaks the day the file
/// is re-exported); each download is verified against the SHA-256 and size the hub reports instead. The approximate
/// sizes are what public manifests recorded for these files; they only feed listings.
/// </remarks>
internal static class BuiltInModels
{
    private const long MB = 1_000_000;

    public static IReadOnlyList<ModelCatalogueEntry> All { get; } =
    [
        new()
        {
            Name = "clip-vit-base-patch32",
            Repository = "Xenova/clip-vit-base-patch32",
            Family = ModelFamily.Clip,
            Description = "OpenAI CLIP ViT-B/32, 512-d: the fast default.",
            Files = [.. ClipConfigAndTokenizer(), .. Towers(text: (254 * MB, 64_504_507, 127 * MB), vision: (352 * MB, 89_117_001, 176 * MB))],
        },
        new()
        {
            Name = "clip-vit-base-patch16",
            Repository = "Xenova/clip-vit-base-patch16",
            Family = ModelFamily.Clip,
            Description = "OpenAI CLIP ViT-B/16, 512-d: finer image grid, about 4x the image compute of B/32.",
            Files = [.. ClipConfigAndTokenizer(), .. Towers(text: (254 * MB, 64_504_507, 127 * MB), vision: (345_060_583, 88 * MB, 173 * MB))],
        },
        new()
        {
            Name = "siglip-base-patch16-224",
            Repository = "Xenova/siglip-base-patch16-224",
            Family = ModelFamily.SigLip,
            Description = "Google SigLIP B/16 at 224 px, 768-d, sigmoid scores; rank needs --logit-scale and --logit-bias.",
            Files =
            [
                new("config.json") { ApproximateSize = 457 },
                new("preprocessor_config.json") { ApproximateSize = 368 },
                // Our SigLIP tokenizer reads the SentencePiece model, not tokenizer.json.
                new("spiece.model") { ApproximateSize = 798_330 },
                .. Towers(text: (441 * MB, 111_475_220, 221 * MB), vision: (372 * MB, 99_499_129, 186 * MB)),
            ],
            Notes = "spiece.model is listed in the repository by public manifests; the tokenizer.json beside it is not used. " +
                    "The export outputs only embeddings and its config.json holds no logit values, so the learned logit scale " +
                    "and bias of google/siglip-base-patch16-224 must be passed to rank (--logit-scale, --logit-bias); " +
                    "they are not known here and deliberately not guessed.",
            // The checkpoint's trained values cannot be verified offline, so none are hard-coded (docs/models.md).
            Usage = "rank needs --logit-scale and --logit-bias, the checkpoint's learned values " +
                    "(Python: model.logit_scale.exp().item(), model.logit_bias.item()).",
        },
    ];

    private static IEnumerable<CatalogueFile> ClipConfigAndTokenizer() =>
    [
        new("config.json") { ApproximateSize = 4_500 },
        new("preprocessor_config.json") { ApproximateSize = 520 },
        // vocab.json + merges.txt is the tokenizer pair the loader prefers (and smaller than tokenizer.json).
        new("vocab.json") { ApproximateSize = 862_328 },
        new("merges.txt") { ApproximateSize = 524_619 },
    ];

    private static IEnumerable<CatalogueFile> Towers((long Fp32, long Quantized, long Fp16) text, (long Fp32, long Quantized, long Fp16) vision)
    {
        foreach (var (variant, pick) in new (ModelVariant, Func<(long, long, long), long>)[]
                 {
                     (ModelVariant.Quantized, s => s.Item2),
                     (ModelVariant.Default, s => s.Item1),
                     (ModelVariant.Fp16, s => s.Item3),
                 })
        {
            var suffix = ModelVariantNames.FileSuffix(variant);
            yield return new($"onnx/text_model{suffix}.onnx", variant) { ApproximateSize = pick(text) };
            yield return new($"onnx/vision_model{suffix}.onnx", variant) { ApproximateSize = pick(vision) };
        }
    }
}
