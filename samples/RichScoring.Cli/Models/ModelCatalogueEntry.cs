using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>A known export that <c>richscore</c> can fetch by name.</summary>
internal sealed record ModelCatalogueEntry
{
    /// <summary>The short name users type (<c>clip-vit-base-patch32</c>); also the cache folder's name.</summary>
    public required string Name { get; init; }

    /// <summary>The Hugging Face repository id (<c>Xenova/clip-vit-base-patch32</c>).</summary>
    public required string Repository { get; init; }

    /// <summary>A branch, tag or commit of the repository.</summary>
    public string Revision { get; init; } = "main";

    /// <summary>CLIP or SigLIP.</summary>
    public required ModelFamily Family { get; init; }

    /// <summary>The folder layout, for listings (<c>transformers.js</c>: <c>onnx/text_model*.onnx</c> + <c>onnx/vision_model*.onnx</c>).</summary>
    public string Layout { get; init; } = "transformers.js";

    /// <summary>One line for <c>models list</c>.</summary>
    public required string Description { get; init; }

    /// <summary>Every file of every variant.</summary>
    public required IReadOnlyList<CatalogueFile> Files { get; init; }

    /// <summary>The variant fetched when none is asked for.</summary>
    public ModelVariant DefaultVariant { get; init; } = ModelVariant.Quantized;

    /// <summary>What is known to be missing or unverified about the repository, for documentation.</summary>
    public string? Notes { get; init; }

    /// <summary>What using the model takes beyond the download (e.g. options <c>rank</c> needs); printed under <c>models list</c>.</summary>
    public string? Usage { get; init; }

    /// <summary>The variants this entry offers (those with at least one file of their own), in catalogue order.</summary>
    public IReadOnlyList<ModelVariant> Variants =>
        [.. Files.Where(f => f.Variant is not null).Select(f => f.Variant!.Value).Distinct()];

    /// <summary>The files one variant needs: the shared ones and its own weights.</summary>
    public IReadOnlyList<CatalogueFile> FilesFor(ModelVariant variant) =>
        [.. Files.Where(f => f.Variant is null || f.Variant == variant)];

    /// <summary>The download size of one variant, as far as the catalogue knows it.</summary>
    public long ApproximateSize(ModelVariant variant) => FilesFor(variant).Sum(f => f.DisplaySize ?? 0);

    /// <summary>Whether the entry offers a variant.</summary>
    public bool Offers(ModelVariant variant) => Variants.Contains(variant);
}
