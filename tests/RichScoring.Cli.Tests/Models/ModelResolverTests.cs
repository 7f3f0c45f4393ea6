using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Tests.Models;

public sealed class ModelResolverTests : IDisposable
{
    private readonly HubScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task An_existing_folder_wins_over_the_catalogue_and_needs_no_hub()
    {
        using var services = _scenario.Services();

        var resolved = await services.Resolver.ResolveAsync(_scenario.SourceFolder, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(Path.GetFullPath(_scenario.SourceFolder), resolved.Folder);
        Assert.Null(resolved.Entry);
        Assert.Equal(ModelVariant.Default, resolved.Variant); // the folder holds full-precision files
        Assert.False(services.Resolver.NeedsDownload(_scenario.SourceFolder, null));
        Assert.Empty(_scenario.Hub.Requests);
    }

    [Fact]
    public async Task A_folder_with_only_quantized_weights_is_loaded_as_quantized()
    {
        using var services = _scenario.Services();
        var folder = await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);

        var resolved = await services.Resolver.ResolveAsync(folder, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(ModelVariant.Quantized, resolved.Variant);
        using var model = ClipModel.Load(resolved.Folder, resolved.CreateOnnxOptions());
        Assert.NotEmpty(model.ImageEncoder.Preprocess(CreatePng()));
    }

    [Fact]
    public async Task No_name_means_the_default_model()
    {
        using var services = _scenario.Services();
        Assert.True(services.Resolver.NeedsDownload(null, null));

        var resolved = await services.Resolver.ResolveAsync(" ", null, null, TestContext.Current.CancellationToken);

        Assert.Equal(HubScenario.Name, resolved.Name);
        Assert.False(services.Resolver.NeedsDownload(null, null));
    }

    [Fact]
    public async Task A_missing_folder_and_an_unknown_name_are_told_apart()
    {
        using var services = _scenario.Services();

        var folder = await Assert.ThrowsAsync<ModelDownloadException>(
            () => services.Resolver.ResolveAsync("./no/such/folder", null, null, TestContext.Current.CancellationToken));
        Assert.Contains("does not exist", folder.Message, StringComparison.Ordinal);

        var name = await Assert.ThrowsAsync<ModelDownloadException>(
            () => services.Resolver.ResolveAsync("clip-vit-huge", null, null, TestContext.Current.CancellationToken));
        Assert.Contains("'clip-vit-huge' is not a known model (known: colour-clip)", name.Message, StringComparison.Ordinal);
        Assert.Empty(_scenario.Hub.Requests);
    }

    [Fact]
    public async Task A_variant_the_entry_lacks_is_refused_before_any_request()
    {
        var entry = _scenario.Entry with { Files = [.. _scenario.Entry.Files.Where(f => f.Variant != ModelVariant.Fp16)] };
        using var downloader = new ModelDownloader(_scenario.Options());
        var resolver = new ModelResolver(new ModelCatalogue([entry], entry.Name), downloader);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => resolver.ResolveAsync(entry.Name, ModelVariant.Fp16, null, TestContext.Current.CancellationToken));

        Assert.Contains("has no fp16 files (it offers quantized, fp32)", error.Message, StringComparison.Ordinal);
        Assert.Empty(_scenario.Hub.Requests);
    }

    private static byte[] CreatePng()
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(40, 30, new SixLabors.ImageSharp.PixelFormats.Rgb24(10, 200, 10));
        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        return stream.ToArray();
    }
}
