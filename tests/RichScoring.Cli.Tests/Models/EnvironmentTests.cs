using RichScoring.Cli.Models;

namespace RichScoring.Cli.Tests.Models;

/// <summary>HF_ENDPOINT and the cache folder, read through an injected lookup (the process environment is never touched).</summary>
public class EnvironmentTests
{
    [Fact]
    public void The_hub_is_huggingface_unless_HF_ENDPOINT_says_otherwise()
    {
        Assert.Equal(new Uri("https://huggingface.co"), HubEndpoint.FromEnvironment(_ => null));
        Assert.Equal(new Uri("https://huggingface.co"), HubEndpoint.FromEnvironment(_ => "  "));
        Assert.Equal(new Uri("https://hf-mirror.example/"), HubEndpoint.FromEnvironment(n => n == "HF_ENDPOINT" ? "https://hf-mirror.example" : null));
    }

    [Theory]
    [InlineData("ftp://mirror.example")]
    [InlineData("mirror.example")]
    [InlineData("https://mirror.example/?token=1")]
    public void A_malformed_HF_ENDPOINT_is_a_clear_error(string value)
    {
        var error = Assert.Throws<ModelDownloadException>(() => HubEndpoint.FromEnvironment(n => n == "HF_ENDPOINT" ? value : null));
        Assert.Contains("HF_ENDPOINT", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://huggingface.co", "https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model_quantized.onnx")]
    [InlineData("http://127.0.0.1:8080/hub/", "http://127.0.0.1:8080/hub/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model_quantized.onnx")]
    public void File_addresses_follow_the_hub_layout(string endpoint, string expected)
    {
        var address = HubEndpoint.FileAddress(new Uri(endpoint), "Xenova/clip-vit-base-patch32", "main", "onnx/text_model_quantized.onnx");

        Assert.Equal(expected, address.AbsoluteUri);
    }

    [Fact]
    public void A_revision_with_slashes_is_one_escaped_segment()
    {
        var address = HubEndpoint.FileAddress(HubEndpoint.Default, "org/repo", "refs/pr/1", "a b.json");

        Assert.Equal("https://huggingface.co/org/repo/resolve/refs%2Fpr%2F1/a%20b.json", address.AbsoluteUri);
    }

    [Fact]
    public void RICHSCORING_HOME_holds_the_models()
    {
        var home = Path.Combine(Path.GetTempPath(), "rs-home");
        var root = ModelCacheLocation.ModelsRoot(n => n switch { "RICHSCORING_HOME" => home, "XDG_CACHE_HOME" => "/elsewhere", _ => null });

        Assert.Equal(Path.Combine(home, "models"), root);
    }

    [Fact]
    public void Without_RICHSCORING_HOME_models_go_to_the_user_cache_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(@"C:\Users\u\AppData\Local\richscoring\models".Replace('\\', Path.DirectorySeparatorChar),
                ModelCacheLocation.ModelsRoot(n => n == "LOCALAPPDATA" ? @"C:\Users\u\AppData\Local" : null));
            return;
        }

        Assert.Equal("/xdg/cache/richscoring/models", ModelCacheLocation.ModelsRoot(n => n switch { "XDG_CACHE_HOME" => "/xdg/cache", "HOME" => "/home/u", _ => null }));
        Assert.Equal("/home/u/.cache/richscoring/models", ModelCacheLocation.ModelsRoot(n => n == "HOME" ? "/home/u" : null));
        // A relative XDG_CACHE_HOME is invalid by the specification and ignored.
        Assert.Equal("/home/u/.cache/richscoring/models", ModelCacheLocation.ModelsRoot(n => n switch { "XDG_CACHE_HOME" => "rel/cache", "HOME" => "/home/u", _ => null }));
    }

    [Fact]
    public void Services_from_the_environment_use_both_variables()
    {
        var home = Path.Combine(Path.GetTempPath(), "rs-env-home");
        using var services = ModelServices.FromEnvironment(n => n switch
        {
            "HF_ENDPOINT" => "http://127.0.0.1:9/mirror",
            "RICHSCORING_HOME" => home,
            _ => null,
        });

        Assert.Equal(new Uri("http://127.0.0.1:9/mirror"), services.Downloader.Endpoint);
        Assert.Equal(Path.Combine(home, "models"), services.Downloader.ModelsRoot);
        Assert.Same(ModelCatalogue.BuiltIn, services.Catalogue);
        Assert.Equal(Path.Combine(home, "models", "clip-vit-base-patch32"), services.Downloader.FolderOf(services.Catalogue.Require("clip-vit-base-patch32")));
    }

    [Fact]
    public async Task The_hub_of_HF_ENDPOINT_is_the_one_downloads_go_to()
    {
        using var scenario = new HubScenario();
        var home = Path.Combine(scenario.Root, "home");
        // The scenario's catalogue with an environment-built downloader: HF_ENDPOINT points at the loopback hub.
        using var services = new ModelServices(scenario.Catalogue, () =>
        {
            Func<string, string?> env = n => n switch { "HF_ENDPOINT" => scenario.Hub.Endpoint.AbsoluteUri, "RICHSCORING_HOME" => home, _ => null };
            return new ModelDownloaderOptions { Endpoint = HubEndpoint.FromEnvironment(env), ModelsRoot = ModelCacheLocation.ModelsRoot(env) };
        });

        var resolved = await services.Resolver.ResolveAsync(HubScenario.Name, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(home, "models", HubScenario.Name), resolved.Folder);
        Assert.NotEmpty(scenario.Hub.Requests);
    }
}
