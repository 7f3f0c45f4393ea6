using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>
/// Turns what the user typed after <c>--model</c> into a model folder: an existing folder wins; otherwise a catalogue
/// name, downloaded into the cache on first use; nothing at all means the catalogue's default model.
/// </summary>
internal sealed class ModelResolver
{
    public ModelResolver(ModelCatalogue catalogue, ModelDownloader downloader)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(downloader);
        Catalogue = catalogue;
        Downloader = downloader;
    }

    public ModelCatalogue Catalogue { get; }

    public ModelDownloader Downloader { get; }

    /// <summary>Finds (and if needed downloads) a model.</summary>
    /// <param name="nameOrFolder">A folder path or a catalogue name; null or blank for the default model.</param>
    /// <param name="variant">The weights to use; null: the catalogue entry's default (quantized), or for a folder the one it holds.</param>
    /// <param name="progress">Receives download progress; nothing is reported when the model is already installed.</param>
    /// <param name="cancellationToken">Stops a download, leaving partial files for the next resume.</param>
    /// <exception cref="ModelDownloadException">Unknown name, missing folder, or a download that failed.</exception>
    public async Task<ResolvedModel> ResolveAsync(string? nameOrFolder, ModelVariant? variant, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (TryFolder(nameOrFolder, variant) is { } folder)
        {
            return folder;
        }

        var (entry, chosen) = Pick(nameOrFolder, variant);
        var path = await Downloader.DownloadAsync(entry, chosen, progress, cancellationToken).ConfigureAwait(false);
        return new ResolvedModel(path, chosen, entry);
    }

    /// <summary>Whether <see cref="ResolveAsync"/> would download anything (false for folders and installed models).</summary>
    /// <exception cref="ModelDownloadException">Unknown name or missing folder.</exception>
    public bool NeedsDownload(string? nameOrFolder, ModelVariant? variant)
    {
        if (TryFolder(nameOrFolder, variant) is not null)
        {
            return false;
        }

        var (entry, chosen) = Pick(nameOrFolder, variant);
        return !Downloader.IsInstalled(entry, chosen);
    }

    /// <summary>The installed folder of a catalogue model, or null when it is not (completely) installed.</summary>
    /// <exception cref="ModelDownloadException">Unknown name, or a variant the entry does not offer.</exception>
    public ResolvedModel? FindInstalled(string name, ModelVariant? variant)
    {
        var (entry, chosen) = Pick(name, variant);
        return Downloader.IsInstalled(entry, chosen) ? new ResolvedModel(Downloader.FolderOf(entry), chosen, entry) : null;
    }

    /// <summary>The entry and variant a name stands for.</summary>
    /// <exception cref="ModelDownloadException">Unknown name (or a path that does not exist), or a variant the entry lacks.</exception>
    public (ModelCatalogueEntry Entry, ModelVariant Variant) Pick(string? name, ModelVariant? variant)
    {
        var text = string.IsNullOrWhiteSpace(name) ? Catalogue.DefaultName : name.Trim();
        var entry = Catalogue.Find(text);
        if (entry is null)
        {
            if (LooksLikePath(text))
            {
                throw new ModelDownloadException($"Model folder '{Path.GetFullPath(text)}' does not exist.");
            }

            entry = Catalogue.Require(text);
        }

        var chosen = variant ?? entry.DefaultVariant;
        if (!entry.Offers(chosen))
        {
            throw new ModelDownloadException(
                $"Model '{entry.Name}' has no {ModelVariantNames.ToName(chosen)} files (it offers {string.Join(", ", entry.Variants.Select(ModelVariantNames.ToName))}).");
        }

        return (entry, chosen);
    }

    private static ResolvedModel? TryFolder(string? text, ModelVariant? variant)
    {
        if (string.IsNullOrWhiteSpace(text) || !Directory.Exists(text))
        {
            return null;
        }

        var full = Path.GetFullPath(text);
        return new ResolvedModel(full, variant ?? DetectVariant(full), null);
    }

    /// <summary>For a folder given by path: full precision when present, else the quantized or fp16 files it holds.</summary>
    private static ModelVariant DetectVariant(string folder)
    {
        foreach (var v in new[] { ModelVariant.Default, ModelVariant.Quantized, ModelVariant.Fp16 })
        {
            var suffix = ModelVariantNames.FileSuffix(v);
            string[] candidates = [$"model{suffix}.onnx", $"onnx/model{suffix}.onnx", $"onnx/text_model{suffix}.onnx", $"onnx/vision_model{suffix}.onnx",
                                   $"text_model{suffix}.onnx", $"vision_model{suffix}.onnx"];
            if (candidates.Any(c => File.Exists(Path.Combine(folder, c))))
            {
                return v;
            }
        }

        return ModelVariant.Default; // the folder check then names what is missing
    }

    private static bool LooksLikePath(string text) =>
        text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal)
        || text.StartsWith('.') || text.StartsWith('~') || Path.IsPathRooted(text);
}
