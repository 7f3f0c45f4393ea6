using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Tests.Models;

public sealed class ModelDownloaderTests : IDisposable
{
    private const string Vision = "onnx/vision_model_quantized.onnx";
    private readonly HubScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task A_model_named_in_the_catalogue_is_fetched_from_the_hub_and_loads()
    {
        using var services = _scenario.Services();
        var progress = new RecordingProgress();

        var resolved = await services.Resolver.ResolveAsync(HubScenario.Name, null, progress, TestContext.Current.CancellationToken);

        Assert.Equal(_scenario.InstalledFolder, resolved.Folder);
        Assert.Equal(ModelVariant.Quantized, resolved.Variant); // the catalogue's default variant
        foreach (var file in _scenario.Entry.FilesFor(ModelVariant.Quantized))
        {
            Assert.Equal(_scenario.File(file.Path).Content, File.ReadAllBytes(Path.Combine(resolved.Folder, file.Path)));
        }

        // Only the quantized weights were asked for; LFS files went through the CDN redirect.
        var paths = _scenario.Hub.Requests.Select(r => r.Path).ToList();
        Assert.DoesNotContain(paths, p => p.EndsWith("/onnx/vision_model.onnx", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.Contains("_fp16", StringComparison.Ordinal));
        Assert.Contains($"/cdn/{HubScenario.Repository}/resolve/main/{Vision}", paths);
        Assert.Empty(Directory.EnumerateFiles(resolved.Folder, "*.partial", SearchOption.AllDirectories));
        Assert.Equal(6, progress.Reports.Count(r => r.Stage == DownloadStage.Completed));

        using var model = ClipModel.Load(resolved.Folder, resolved.CreateOnnxOptions());
        Assert.True(model.SupportsText && model.SupportsImages);
        Assert.NotEmpty(model.TextEncoder.Tokenize("red").Ids);
    }

    [Fact]
    public async Task A_cut_connection_is_resumed_with_a_range_request()
    {
        var vision = _scenario.File(Vision);
        vision.CutAfter = vision.Content.Length / 2;
        vision.CutsLeft = 1;
        using var services = _scenario.Services();
        var progress = new RecordingProgress();

        var folder = await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, progress, TestContext.Current.CancellationToken);

        Assert.Equal(vision.Content, File.ReadAllBytes(Path.Combine(folder, Vision)));
        var cdn = _scenario.Hub.Requests.Where(r => r.Path.EndsWith(Vision, StringComparison.Ordinal) && r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, cdn.Count);
        Assert.Null(cdn[0].Range);
        Assert.Equal($"bytes={vision.CutAfter}-", cdn[1].Range);
        // The resumed request went through the hub again (for its X-Linked-Etag) with the same range.
        Assert.Contains(_scenario.Hub.Requests, r => r.Path == $"/{HubScenario.Repository}/resolve/main/{Vision}" && r.Range == $"bytes={vision.CutAfter}-");
        Assert.Contains(progress.Reports, r => r.File == Vision && r.Stage == DownloadStage.Retrying);
        Assert.Contains(progress.Reports, r => r.File == Vision && r.Stage == DownloadStage.Started && r.BytesDone == vision.CutAfter);
    }

    [Fact]
    public async Task A_partial_file_left_by_a_failed_run_is_resumed_by_the_next_run()
    {
        var vision = _scenario.File(Vision);
        vision.CutAfter = 100;
        vision.CutsLeft = 1;
        using (var once = new ModelServices(_scenario.Catalogue, () => _scenario.Options(maxAttempts: 1)))
        {
            var error = await Assert.ThrowsAsync<ModelDownloadException>(
                () => once.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken));
            Assert.Contains("Run the command again to resume", error.Message, StringComparison.Ordinal);
        }

        var partial = Path.Combine(_scenario.InstalledFolder, Vision + ".partial");
        Assert.Equal(100, new FileInfo(partial).Length);
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, Vision)));
        _scenario.Hub.ClearRequests();

        using var services = _scenario.Services();
        await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);

        Assert.Equal(vision.Content, File.ReadAllBytes(Path.Combine(_scenario.InstalledFolder, Vision)));
        Assert.False(File.Exists(partial));
        Assert.Contains(_scenario.Hub.Requests, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal) && r.Range == "bytes=100-");
    }

    [Fact]
    public async Task Cancelling_leaves_the_partial_file_for_the_next_resume()
    {
        var vision = _scenario.File(Vision);
        vision.StallAfter = 64;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new RecordingProgress(r =>
        {
            if (r.File == Vision && r.Stage == DownloadStage.Transferring && r.BytesDone >= 64)
            {
                cancel.Cancel();
            }
        });
        using (var services = _scenario.Services())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, progress, cancel.Token));
        }

        var partial = Path.Combine(_scenario.InstalledFolder, Vision + ".partial");
        Assert.Equal(64, new FileInfo(partial).Length);
        vision.StallAfter = null;
        vision.Release.TrySetResult();

        using (var services = _scenario.Services())
        {
            await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);
        }

        Assert.Equal(vision.Content, File.ReadAllBytes(Path.Combine(_scenario.InstalledFolder, Vision)));
        Assert.Contains(_scenario.Hub.Requests, r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal) && r.Range == "bytes=64-");
    }

    [Fact]
    public async Task A_corrupted_lfs_file_is_rejected_and_nothing_is_left_in_place()
    {
        _scenario.File(Vision).Corrupt = true;
        using var services = _scenario.Services();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken));

        Assert.Contains($"{Vision} of {HubScenario.Repository} is corrupted", error.Message, StringComparison.Ordinal);
        Assert.Contains(_scenario.File(Vision).Sha256, error.Message, StringComparison.Ordinal); // the hub's X-Linked-Etag
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, Vision)));
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, Vision + ".partial")));
        Assert.False(services.Downloader.IsInstalled(_scenario.Entry, ModelVariant.Quantized));
    }

    [Fact]
    public async Task A_corrupted_small_file_is_rejected_by_its_git_blob_id()
    {
        _scenario.File("vocab.json").Corrupt = true;
        using var services = _scenario.Services();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken));

        Assert.Contains("vocab.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(_scenario.File("vocab.json").GitBlobSha1, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, "vocab.json")));
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, "vocab.json.partial")));
    }

    [Fact]
    public async Task A_stale_partial_that_fails_verification_is_fetched_again_from_the_start()
    {
        // A .partial from another version of the file: its first bytes differ, so the resumed file cannot verify.
        var vision = _scenario.File(Vision);
        using (var first = _scenario.Services())
        {
            await first.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);
        }

        var target = Path.Combine(_scenario.InstalledFolder, Vision);
        var stale = (byte[])vision.Content.Clone();
        stale[3] ^= 0xFF;
        File.WriteAllBytes(target + ".partial", stale[..50]);
        File.Delete(target);
        // Keep the download record of a partial (as a crash mid-transfer would leave it).
        var record = DownloadRecord.TryRead(DownloadRecord.PathFor(_scenario.InstalledFolder, Vision))!;
        (record with { Complete = false }).Write(DownloadRecord.PathFor(_scenario.InstalledFolder, Vision));
        _scenario.Hub.ClearRequests();

        using var services = _scenario.Services();
        var progress = new RecordingProgress();
        await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, progress, TestContext.Current.CancellationToken);

        Assert.Equal(vision.Content, File.ReadAllBytes(target));
        var cdn = _scenario.Hub.Requests.Where(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["bytes=50-", null], cdn.Select(r => r.Range));
    }

    [Fact]
    public async Task Installed_files_are_skipped_without_a_request()
    {
        using var services = _scenario.Services();
        await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);
        Assert.True(services.Downloader.IsInstalled(_scenario.Entry, ModelVariant.Quantized));
        Assert.False(services.Downloader.IsInstalled(_scenario.Entry, ModelVariant.Default));
        _scenario.Hub.ClearRequests();
        var progress = new RecordingProgress();

        var resolved = await services.Resolver.ResolveAsync(HubScenario.Name, ModelVariant.Quantized, progress, TestContext.Current.CancellationToken);

        Assert.Equal(_scenario.InstalledFolder, resolved.Folder);
        Assert.Empty(_scenario.Hub.Requests);
        Assert.All(progress.Reports, r => Assert.Equal(DownloadStage.Skipped, r.Stage));
        Assert.Equal(6, progress.Reports.Count);
    }

    [Fact]
    public async Task A_file_changed_on_disk_is_fetched_again()
    {
        using var services = _scenario.Services();
        await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);
        File.AppendAllText(Path.Combine(_scenario.InstalledFolder, "vocab.json"), " ");
        _scenario.Hub.ClearRequests();

        await services.Downloader.DownloadAsync(_scenario.Entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);

        Assert.Equal([$"/{HubScenario.Repository}/resolve/main/vocab.json"], _scenario.Hub.Requests.Select(r => r.Path));
        Assert.Equal(_scenario.File("vocab.json").Content, File.ReadAllBytes(Path.Combine(_scenario.InstalledFolder, "vocab.json")));
    }

    [Fact]
    public async Task A_pinned_size_that_the_hub_contradicts_is_an_error()
    {
        var files = _scenario.Entry.Files.Select(f => f.Path == Vision ? f with { Size = f.Size ?? 1234 } : f).ToList();
        var entry = _scenario.Entry with { Files = files };
        using var downloader = new ModelDownloader(_scenario.Options());

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => downloader.DownloadAsync(entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken));

        Assert.Contains("the catalogue expects 1,234", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, Vision)));
    }

    [Fact]
    public async Task A_pinned_sha256_is_enforced()
    {
        var vision = _scenario.File(Vision);
        var files = _scenario.Entry.Files.Select(f => f.Path == Vision ? f with { Sha256 = vision.Sha256, Size = vision.Content.Length } : f).ToList();
        using var downloader = new ModelDownloader(_scenario.Options());

        await downloader.DownloadAsync(_scenario.Entry with { Files = files }, ModelVariant.Quantized, null, TestContext.Current.CancellationToken);
        Assert.True(downloader.IsInstalled(_scenario.Entry with { Files = files }, ModelVariant.Quantized));

        var wrong = _scenario.Entry.Files.Select(f => f.Path == Vision ? f with { Sha256 = new string('0', 64) } : f).ToList();
        Assert.False(downloader.IsInstalled(_scenario.Entry with { Files = wrong }, ModelVariant.Quantized));
        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => downloader.DownloadAsync(_scenario.Entry with { Files = wrong }, ModelVariant.Quantized, null, TestContext.Current.CancellationToken));
        Assert.Contains("the catalogue pins 0000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_missing_upstream_is_a_clear_error()
    {
        var entry = _scenario.Entry with { Files = [.. _scenario.Entry.Files, new CatalogueFile("spiece.model")] };
        using var downloader = new ModelDownloader(_scenario.Options());

        var error = await Assert.ThrowsAsync<ModelDownloadException>(
            () => downloader.DownloadAsync(entry, ModelVariant.Quantized, null, TestContext.Current.CancellationToken));

        Assert.Contains("spiece.model of test-org/colour-clip is not on the server (HTTP 404", error.Message, StringComparison.Ordinal);
    }
}
