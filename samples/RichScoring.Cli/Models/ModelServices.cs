namespace RichScoring.Cli.Models;

/// <summary>
/// The model catalogue, downloader and resolver the commands share. <see cref="FromEnvironment"/> reads
/// RICHSCORING_HOME / the user's cache folder and HF_ENDPOINT; tests build one over a temporary folder and a loopback hub.
/// The downloader (and its HttpClient) is created on first use, so a bad HF_ENDPOINT only fails commands that download.
/// </summary>
internal sealed class ModelServices : IDisposable
{
    private readonly Lazy<ModelDownloader> _downloader;
    private readonly Lazy<ModelResolver> _resolver;

    public ModelServices(ModelCatalogue catalogue, Func<ModelDownloaderOptions> downloaderOptions)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(downloaderOptions);
        Catalogue = catalogue;
        _downloader = new(() => new ModelDownloader(downloaderOptions()));
        _resolver = new(() => new ModelResolver(Catalogue, _downloader.Value));
    }

    public ModelCatalogue Catalogue { get; }

    /// <exception cref="ModelDownloadException">HF_ENDPOINT is malformed.</exception>
    public ModelDownloader Downloader => _downloader.Value;

    /// <summary>What <c>rank --model</c>, <c>tokenize</c> and <c>preprocess</c> call to find their model.</summary>
    /// <exception cref="ModelDownloadException">HF_ENDPOINT is malformed.</exception>
    public ModelResolver Resolver => _resolver.Value;

    /// <summary>Where `rank` keeps image and prompt embeddings between runs; null turns the persistent cache off.</summary>
    public string? EmbeddingCacheRoot { get; init; }

    /// <summary>The built-in catalogue, the cache under RICHSCORING_HOME or the user's cache folder, the hub from HF_ENDPOINT.</summary>
    /// <param name="getEnvironmentVariable">Reads a variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static ModelServices FromEnvironment(Func<string, string?>? getEnvironmentVariable = null)
    {
        var env = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        return new ModelServices(ModelCatalogue.BuiltIn, () => new ModelDownloaderOptions
        {
            Endpoint = HubEndpoint.FromEnvironment(env),
            ModelsRoot = ModelCacheLocation.ModelsRoot(env),
        })
        {
            EmbeddingCacheRoot = Path.Combine(Path.GetDirectoryName(ModelCacheLocation.ModelsRoot(env))!, "embeddings"),
        };
    }

    public void Dispose()
    {
        if (_downloader.IsValueCreated)
        {
            _downloader.Value.Dispose();
        }
    }
}
