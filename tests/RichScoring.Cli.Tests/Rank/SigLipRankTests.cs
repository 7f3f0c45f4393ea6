using System.Text.Json;
using RichScoring.Cli.Models;
using RichScoring.Cli.Tests.Models;
using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Cli.Tests.Rank;

/// <summary>
/// `richscore rank` over a SigLIP split folder (transformers.js layout: onnx/text_model.onnx + onnx/vision_model.onnx,
/// generated, with a generated spiece.model), which carries no logit scale or bias: --logit-scale and --logit-bias.
/// The folder is passed as --model; no hub is involved (an unreachable endpoint and an empty cache).
/// </summary>
public sealed class SigLipRankTests : IDisposable
{
    // Deliberately not SigLipColourModel's own Scale/Bias (10, −5), which a split folder does not carry anyway.
    private const float Scale = 12.5f;
    private const float Bias = -4.25f;

    private readonly string _root = Directory.CreateTempSubdirectory("richscore-siglip-").FullName;

    public SigLipRankTests()
    {
        ModelFolder = SigLipColourModel.WriteFolder(Path.Combine(_root, "siglip-split"), combined: false);
        ImageFolder = Directory.CreateDirectory(Path.Combine(_root, "images")).FullName;
        File.WriteAllBytes(Path.Combine(ImageFolder, "red.png"), RankScenario.Flat(230, 10, 10, 320, 240));
        File.WriteAllBytes(Path.Combine(ImageFolder, "blue.png"), RankScenario.Flat(0, 0, 230, 320, 240));
        File.WriteAllBytes(Path.Combine(ImageFolder, "magenta.png"), RankScenario.Flat(220, 0, 220, 320, 240));
        OutFolder = Path.Combine(_root, "out");
    }

    private string ModelFolder { get; }

    private string ImageFolder { get; }

    private string OutFolder { get; }

    private string ResultsPath => Path.Combine(OutFolder, "results.json");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<CliRun> RunAsync(params string[] args)
    {
        using var services = new ModelServices(ModelCatalogue.BuiltIn, () => new ModelDownloaderOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9"),
            ModelsRoot = Path.Combine(_root, "cache"),
            MaxAttempts = 1,
        });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, services, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    private Task<CliRun> RankAsync(params string[] extra) =>
        RunAsync(["rank", ImageFolder, "--model", ModelFolder, "-p", "red", "-n", "blue", "--out", OutFolder, .. extra]);

    [Theory]
    [InlineData("--logit-scale", "0", "--logit-scale must be a finite number > 0, the multiplier exp(logit_scale) (not the log value); got '0'.")]
    [InlineData("--logit-scale", "-2.5", "--logit-scale must be a finite number > 0, the multiplier exp(logit_scale) (not the log value); got '-2.5'.")]
    [InlineData("--logit-scale", "nan", "--logit-scale must be a finite number > 0, the multiplier exp(logit_scale) (not the log value); got 'nan'.")]
    [InlineData("--logit-bias", "inf", "--logit-bias must be a finite number, the model's logit_bias; got 'inf'.")]
    [InlineData("--logit-bias", "Infinity", "--logit-bias must be a finite number, the model's logit_bias; got 'Infinity'.")]
    [InlineData("--logit-bias", "1e39", "--logit-bias must be a finite number, the model's logit_bias; got '1e39'.")]
    public async Task Invalid_logit_values_are_one_line_usage_errors(string option, string value, string expected)
    {
        var run = await RankAsync(option, value);

        Assert.Equal(1, run.Exit);
        Assert.Equal([expected], run.ErrorLines);
        Assert.False(File.Exists(ResultsPath));
    }

    [Fact]
    public async Task A_SigLIP_split_folder_without_the_options_is_refused_with_how_to_pass_them_on_the_command_line()
    {
        var run = await RankAsync();

        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: Model folder '{ModelFolder}' is a SigLIP export that does not carry its learned logit scale and bias", line, StringComparison.Ordinal);
        Assert.Contains("pass --logit-scale <multiplier> and --logit-bias <bias>", line, StringComparison.Ordinal);
        Assert.Contains("model.logit_scale.exp().item() and model.logit_bias.item()", line, StringComparison.Ordinal);
        Assert.EndsWith("or add \"logit_scale\" (the log value) and \"logit_bias\" to the folder's config.json.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("OnnxModelOptions", line, StringComparison.Ordinal); // the library's C# advice is not what a CLI user needs
        Assert.False(File.Exists(ResultsPath));

        // One of the two is not enough; the line names the one missing.
        var half = await RankAsync("--logit-scale", "12.5");
        Assert.Equal(1, half.Exit);
        Assert.Contains("--logit-scale was given; pass --logit-bias <bias> too", Assert.Single(half.ErrorLines), StringComparison.Ordinal);

        // --verbose adds the details: the stack and the library's own message underneath.
        var verbose = await RankAsync("--verbose");
        Assert.Equal(1, verbose.Exit);
        Assert.StartsWith("error: Model folder", verbose.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("OnnxModelOptions", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_options_a_SigLIP_split_folder_ranks_with_sigmoid_scores_and_results_record_them()
    {
        // "-4.25" as a token of its own, as a user types it.
        var run = await RankAsync("--logit-scale", "12.5", "--logit-bias", "-4.25");

        Assert.True(run.Exit == 0, run.Error);
        using var doc = JsonDocument.Parse(File.ReadAllText(ResultsPath));
        var settings = doc.RootElement.GetProperty("settings");
        Assert.Equal(Scale, settings.GetProperty("logitScale").GetSingle());
        Assert.Equal(Bias, settings.GetProperty("logitBias").GetSingle());

        var ranked = doc.RootElement.GetProperty("candidates").EnumerateArray().Where(c => c.GetProperty("status").GetString() == "ranked").ToList();
        Assert.Equal(["red.png", "magenta.png", "blue.png"], ranked.Select(c => Path.GetFileName(c.GetProperty("id").GetString())));
        foreach (var c in ranked)
        {
            // docs/scoring.md, sigmoid models: P = σ(s · cos⁺ + b) · (1 − σ(s · cos⁻ + b)), from the cosines results.json reports.
            var positive = c.GetProperty("bestPositive");
            var negative = c.GetProperty("bestNegative");
            Assert.Equal("red", positive.GetProperty("prompt").GetString());
            Assert.Equal("blue", negative.GetProperty("prompt").GetString());
            var expected = Sigmoid((Scale * positive.GetProperty("similarity").GetDouble()) + Bias)
                           * (1 - Sigmoid((Scale * negative.GetProperty("similarity").GetDouble()) + Bias));
            Assert.Equal(expected, c.GetProperty("score").GetDouble(), 1e-5);
        }

        // Magenta is as close to red as to blue: a softmax over the two prompts (CLIP's calibration) would give it
        // about 0.5; the sigmoid product cannot exceed 0.25 there, so the check tells the two apart.
        var magenta = ranked[1].GetProperty("score").GetDouble();
        Assert.InRange(magenta, 0.0, 0.3);
        Assert.True(ranked[0].GetProperty("score").GetDouble() > magenta + 0.2);
    }

    [Fact]
    public async Task Models_list_says_that_ranking_with_the_SigLIP_entry_needs_the_logit_options()
    {
        var run = await RunAsync("models", "list");

        Assert.Equal(0, run.Exit);
        var note = Assert.Single(run.OutputLines, l => l.StartsWith("siglip-base-patch16-224: ", StringComparison.Ordinal));
        Assert.Contains("rank needs --logit-scale and --logit-bias", note, StringComparison.Ordinal);
        Assert.EndsWith("(Python: model.logit_scale.exp().item(), model.logit_bias.item()).", note, StringComparison.Ordinal);
        Assert.DoesNotContain(run.OutputLines, l => l.StartsWith("clip-vit-base-patch", StringComparison.Ordinal) && l.Contains("--logit", StringComparison.Ordinal));
        Assert.Null(ModelCatalogue.BuiltIn.Require("clip-vit-base-patch32").Usage);
        Assert.Contains("--logit-scale", ModelCatalogue.BuiltIn.Require("siglip-base-patch16-224").Notes, StringComparison.Ordinal);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
