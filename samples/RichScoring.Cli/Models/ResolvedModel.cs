using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>A model folder ready to load, and which weights in it to use.</summary>
/// <param name="Folder">The full path of the model folder.</param>
/// <param name="Variant">The weights to load (pass it on as <see cref="OnnxModelOptions.Variant"/>).</param>
/// <param name="Entry">The catalogue entry when the model was named, null for a folder given by path.</param>
internal sealed record ResolvedModel(string Folder, ModelVariant Variant, ModelCatalogueEntry? Entry)
{
    /// <summary>The catalogue name, or the folder's name.</summary>
    public string Name => Entry?.Name ?? Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    /// <summary>Loading options with the variant set; adjust the rest (threads, batch sizes) as needed.</summary>
    /// <param name="logitScale">Overrides the model's logit scale (the multiplier exp(logit_scale)); null keeps the folder's.</param>
    /// <param name="logitBias">Overrides the model's logit bias; null keeps the folder's.</param>
    public OnnxModelOptions CreateOnnxOptions(float? logitScale = null, float? logitBias = null) =>
        new() { Variant = Variant, LogitScale = logitScale, LogitBias = logitBias };
}
