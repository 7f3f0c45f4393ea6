using RichScoring.Cli.Models;
using RichScoring.Onnx;
using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Cli.Tests.Models;

/// <summary>
/// A generated colour-model folder (transformers.js layout, all three variants) published on a loopback hub, a
/// one-entry catalogue pointing at it, and an empty model cache; all under one temporary folder removed afterwards.
/// </summary>
internal sealed class HubScenario : IDisposable
{
    public const string Name = "colour-clip";
    public const string Repository = "test-org/colour-clip";
    public const string Revision = "main";

    private readonly Dictionary<string, HubFile> _files = new(StringComparer.Ordinal);

    public HubScenario()
    {
        Root = Path.Combine(Path.GetTempPath(), "richscore-models-tests", Guid.NewGuid().ToString("N"));
        SourceFolder = ColourModel.WriteFolder(Path.Combine(Root, "source"), new ColourModelOptions { Layout = ColourModelLayout.Split, Variants = true });
        CacheRoot = Path.Combine(Root, "cache");
        Hub = new LoopbackHub();

        List<CatalogueFile> files =
        [
            new("config.json"),
            new("preprocessor_config.json"),
            new("vocab.json"),
            new("merges.txt"),
        ];
        foreach (var variant in new[] { ModelVariant.Quantized, ModelVariant.Default, ModelVariant.Fp16 })
        {
            var suffix = ModelVariantNames.FileSuffix(variant);
            files.Add(new($"onnx/text_model{suffix}.onnx", variant));
            files.Add(new($"onnx/vision_model{suffix}.onnx", variant));
        }

        foreach (var file in files)
        {
            var bytes = System.IO.File.ReadAllBytes(Path.Combine(SourceFolder, file.Path));
            _files[file.Path] = Hub.Add(Repository, Revision, file.Path, bytes, lfs: file.Path.EndsWith(".onnx", StringComparison.Ordinal));
        }

        Entry = new ModelCatalogueEntry
        {
            Name = Name,
            Repository = Repository,
            Revision = Revision,
            Family = ModelFamily.Clip,
            Description = "The tiny colour model of the tests.",
            Files = files,
        };
        Catalogue = new ModelCatalogue([Entry], Name);
    }

    public string Root { get; }

    public string SourceFolder { get; }

    public string CacheRoot { get; }

    public LoopbackHub Hub { get; }

    public ModelCatalogueEntry Entry { get; }

    public ModelCatalogue Catalogue { get; }

    /// <summary>Where the model lands in the cache.</summary>
    public string InstalledFolder => Path.Combine(CacheRoot, Name);

    public HubFile File(string path) => _files[path];

    public ModelDownloaderOptions Options(int maxAttempts = 4) => new()
    {
        Endpoint = Hub.Endpoint,
        ModelsRoot = CacheRoot,
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.Zero,
        StallTimeout = TimeSpan.FromSeconds(30),
    };

    public ModelServices Services(int maxAttempts = 4) => new(Catalogue, () => Options(maxAttempts));

    /// <summary>Runs richscore with this scenario's catalogue, cache and hub.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var services = Services();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, services, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Hub.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
