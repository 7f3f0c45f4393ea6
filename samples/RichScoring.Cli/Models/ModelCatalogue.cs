namespace RichScoring.Cli.Models;

/// <summary>
/// The exports <c>richscore</c> knows by name. The built-in one lists Hugging Face repositories in the transformers.js
/// layout; tests build their own pointing at a loopback hub.
/// </summary>
internal sealed class ModelCatalogue
{
    /// <summary>The model <c>rank</c> uses when none is named.</summary>
    public const string DefaultModelName = "clip-vit-base-patch32";

    public ModelCatalogue(IEnumerable<ModelCatalogueEntry> entries, string defaultModelName = DefaultModelName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        foreach (var entry in Entries)
        {
            Validate(entry);
        }

        var duplicate = Entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The catalogue names '{duplicate.Key}' twice.", nameof(entries));
        }

        DefaultName = defaultModelName;
    }

    /// <summary>The catalogue shipped with the tool.</summary>
    public static ModelCatalogue BuiltIn { get; } = new(BuiltInModels.All);

    public IReadOnlyList<ModelCatalogueEntry> Entries { get; }

    /// <summary>The name of the default model of this catalogue.</summary>
    public string DefaultName { get; }

    /// <summary>The entry of a name (case-insensitive), or null.</summary>
    public ModelCatalogueEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry of a name, or an error that lists the known names.</summary>
    /// <exception cref="ModelDownloadException">No entry has that name.</exception>
    public ModelCatalogueEntry Require(string name) =>
        Find(name) ?? throw new ModelDownloadException(
            $"'{name}' is not a known model (known: {string.Join(", ", Entries.Select(e => e.Name))}) and not an existing folder.");

    private static void Validate(ModelCatalogueEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.IndexOfAny(['/', '\\', ':']) >= 0 || entry.Name.StartsWith('.'))
        {
            throw new ArgumentException($"Catalogue name '{entry.Name}' cannot be a folder name.", nameof(entry));
        }

        foreach (var file in entry.Files)
        {
            var parts = file.Path.Split('/');
            if (file.Path.Length == 0 || file.Path.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(file.Path)
                || parts.Any(p => p is "" or "." or ".."))
            {
                throw new ArgumentException($"Catalogue entry '{entry.Name}': '{file.Path}' is not a plain relative path.", nameof(entry));
            }
        }

        if (!entry.Offers(entry.DefaultVariant))
        {
            throw new ArgumentException(
                $"Catalogue entry '{entry.Name}' has no files for its default variant {ModelVariantNames.ToName(entry.DefaultVariant)}.", nameof(entry));
        }
    }
}
