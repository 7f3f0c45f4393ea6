namespace RichScoring.Cli.Tests.Models;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly HubScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task Download_prints_the_folder_on_stdout_and_progress_on_stderr()
    {
        var run = await _scenario.RunAsync("models", "download", HubScenario.Name);

        Assert.Equal(0, run.Exit);
        Assert.Equal([_scenario.InstalledFolder], run.OutputLines);
        Assert.Contains(run.ErrorLines, l => l.StartsWith($"downloaded {HubScenario.Name}/onnx/vision_model_quantized.onnx", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_scenario.InstalledFolder, "onnx", "text_model_quantized.onnx")));
        Assert.False(File.Exists(Path.Combine(_scenario.InstalledFolder, "onnx", "text_model.onnx")));
    }

    [Fact]
    public async Task Download_of_another_variant_fetches_only_its_weights()
    {
        await _scenario.RunAsync("models", "download", HubScenario.Name);
        _scenario.Hub.ClearRequests();

        var run = await _scenario.RunAsync("models", "download", HubScenario.Name, "--variant", "fp32");

        Assert.Equal(0, run.Exit);
        Assert.Equal(
            ["onnx/text_model.onnx", "onnx/vision_model.onnx"],
            _scenario.Hub.Requests.Where(r => !r.Path.StartsWith("/cdn/", StringComparison.Ordinal))
                .Select(r => r.Path[$"/{HubScenario.Repository}/resolve/main/".Length..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Path_exit_codes_say_whether_the_model_is_installed()
    {
        var missing = await _scenario.RunAsync("models", "path", HubScenario.Name);
        Assert.Equal(2, missing.Exit);
        Assert.Empty(missing.Output);
        Assert.Contains($"richscore models download {HubScenario.Name}", missing.Error, StringComparison.Ordinal);

        var unknown = await _scenario.RunAsync("models", "path", "no-such-model");
        Assert.Equal(1, unknown.Exit);
        Assert.Equal(["error: 'no-such-model' is not a known model (known: colour-clip) and not an existing folder."], unknown.ErrorLines);

        Assert.Equal(0, (await _scenario.RunAsync("models", "download", HubScenario.Name)).Exit);

        var installed = await _scenario.RunAsync("models", "path", HubScenario.Name);
        Assert.Equal(0, installed.Exit);
        Assert.Equal([_scenario.InstalledFolder], installed.OutputLines);

        var otherVariant = await _scenario.RunAsync("models", "path", HubScenario.Name, "--variant", "fp16");
        Assert.Equal(2, otherVariant.Exit);
        Assert.Contains("--variant fp16", otherVariant.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_each_model_and_its_installed_variants()
    {
        var before = await _scenario.RunAsync("models", "list");
        Assert.Equal(0, before.Exit);
        var row = Assert.Single(before.OutputLines, l => l.Contains(HubScenario.Name, StringComparison.Ordinal));
        Assert.Contains("(default)", row, StringComparison.Ordinal);
        Assert.Contains(HubScenario.Repository, row, StringComparison.Ordinal);
        Assert.Matches(@"\bno\b", row);
        Assert.Contains(_scenario.CacheRoot, before.Output, StringComparison.Ordinal);

        await _scenario.RunAsync("models", "download", HubScenario.Name, "--variant", "fp16");
        await _scenario.RunAsync("models", "download", HubScenario.Name);

        var after = await _scenario.RunAsync("models", "list");
        row = Assert.Single(after.OutputLines, l => l.Contains(HubScenario.Name, StringComparison.Ordinal));
        Assert.Contains("quantized, fp16", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupted_download_is_one_clean_error_line_unless_verbose()
    {
        _scenario.File("onnx/text_model_quantized.onnx").Corrupt = true;

        var run = await _scenario.RunAsync("models", "download", HubScenario.Name);

        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("onnx/text_model_quantized.onnx of test-org/colour-clip is corrupted", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);

        var verbose = await _scenario.RunAsync("models", "download", HubScenario.Name, "--verbose");
        Assert.Equal(1, verbose.Exit);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_variant_is_a_usage_error()
    {
        var run = await _scenario.RunAsync("models", "download", HubScenario.Name, "--variant", "int4");

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("Unknown variant 'int4'", run.Error, StringComparison.Ordinal);
        Assert.Empty(_scenario.Hub.Requests);
    }
}
