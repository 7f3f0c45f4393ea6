using System.Text.Json;
using RichScoring.Cli.Tests.Models;
using RichScoring.Onnx;
using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Cli.Tests.Diagnostics;

public sealed class TokenizeCommandTests : IDisposable
{
    private readonly DiagnosticsModel _model = new();

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Each_text_becomes_one_json_array_of_the_ids_the_model_receives()
    {
        string[] texts = ["a photo of something red", "", "Blue!  duck", "the picture of an image"];

        var run = await _model.RunAsync(["tokenize", "--model", _model.Folder, .. texts]);

        Assert.Equal(0, run.Exit);
        Assert.Empty(run.Error);
        Assert.Equal(texts.Length, run.OutputLines.Length);
        using var encoder = ClipTextEncoder.Create(_model.Folder);
        var vocab = ColourVocabulary.Create();
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = JsonSerializer.Deserialize<int[]>(run.OutputLines[i]);
            Assert.Equal(encoder.Tokenize(texts[i]).Ids, ids);
            Assert.Equal(vocab.StartId, ids![0]);
            Assert.Equal(vocab.EndId, ids[^1]);
        }

        // Known ids, not only agreement with the encoder: every word of the colour vocabulary is one token.
        Assert.Equal(
            $"[{vocab.StartId},{vocab.WordId("photo")},{vocab.WordId("of")},{vocab.WordId("something")},{vocab.WordId("red")},{vocab.EndId}]",
            (await _model.RunAsync("tokenize", "--model", _model.Folder, "photo of something red")).OutputLines.Single());
        Assert.Equal($"[{vocab.StartId},{vocab.EndId}]", run.OutputLines[1]);
    }

    [Fact]
    public async Task A_text_longer_than_the_context_is_truncated_with_the_end_token_last_and_a_warning()
    {
        var longText = string.Join(' ', Enumerable.Repeat("red green blue", 40)); // 120 words
        var run = await _model.RunAsync("tokenize", "--model", _model.Folder, "red", longText, "blue");

        Assert.Equal(0, run.Exit);
        var vocab = ColourVocabulary.Create();
        var ids = JsonSerializer.Deserialize<int[]>(run.OutputLines[1])!;
        Assert.Equal(77, ids.Length);
        Assert.Equal(vocab.StartId, ids[0]);
        Assert.Equal(vocab.EndId, ids[^1]);
        Assert.Equal(vocab.WordId("red"), ids[1]);
        Assert.DoesNotContain(vocab.EndId, ids[..^1]);

        var warning = Assert.Single(run.ErrorLines);
        Assert.StartsWith("warning: text 2 ", warning, StringComparison.Ordinal);
        Assert.Contains("77 tokens", warning, StringComparison.Ordinal);
        Assert.Contains("truncated", warning, StringComparison.Ordinal);
        Assert.Equal(3, run.OutputLines.Length); // the other texts are untouched
    }

    [Fact]
    public async Task A_named_model_is_downloaded_on_first_use_with_progress_on_stderr_only()
    {
        using var scenario = new HubScenario();

        var first = await scenario.RunAsync("tokenize", "--model", HubScenario.Name, "red");
        var second = await scenario.RunAsync("tokenize", "red");

        Assert.Equal(0, first.Exit);
        var vocab = ColourVocabulary.Create();
        Assert.Equal([$"[{vocab.StartId},{vocab.WordId("red")},{vocab.EndId}]"], first.OutputLines);
        Assert.Contains(first.ErrorLines, l => l.StartsWith("downloaded colour-clip/onnx/text_model_quantized.onnx", StringComparison.Ordinal));
        Assert.Equal(first.Output, second.Output); // the default model, now installed
        Assert.Empty(second.Error);
    }

    [Fact]
    public async Task A_missing_model_folder_is_one_error_line()
    {
        var run = await _model.RunAsync("tokenize", "--model", Path.Combine(_model.Root, "nothing"), "red");

        Assert.Equal(1, run.Exit);
        Assert.Equal([$"error: Model folder '{Path.Combine(_model.Root, "nothing")}' does not exist."], run.ErrorLines);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task The_variant_option_picks_the_weights()
    {
        using var variants = new DiagnosticsModel(new ColourModelOptions { Layout = ColourModelLayout.Split, Variants = true });
        File.Delete(Path.Combine(variants.Folder, "onnx", "text_model.onnx"));

        var fp32 = await variants.RunAsync("tokenize", "--model", variants.Folder, "--variant", "fp32", "red");
        var quantized = await variants.RunAsync("tokenize", "--model", variants.Folder, "--variant", "quantized", "red");

        Assert.Equal(1, fp32.Exit);
        Assert.Contains("there is no text model", Assert.Single(fp32.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, quantized.Exit);
        Assert.Single(quantized.OutputLines);
    }
}
