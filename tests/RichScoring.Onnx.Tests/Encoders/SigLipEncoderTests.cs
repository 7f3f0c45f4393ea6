using Microsoft.Extensions.Logging;
using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary>SigLIP folders: SentencePiece tokenizer, full-context padding, plain resize, and the learned scale and bias.</summary>
public sealed class SigLipEncoderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rs-siglip-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, true);

    private string Folder(bool combined) => SigLipColourModel.WriteFolder(Path.Combine(_root, combined ? "combined" : "split"), combined);

    [Fact]
    public async Task A_SigLIP_folder_ranks_colours_and_matches_the_closed_form()
    {
        using var model = ClipModel.Load(Folder(combined: false));

        var text = await model.TextEncoder.EncodeAsync(["a photo of something red", "blue"], Ct);
        var images = await model.ImageEncoder.EncodeAsync(
            [new ImageInput("red", TestImages.FlatPng(255, 0, 0)), new ImageInput("blue", TestImages.FlatPng(0, 0, 255))], Ct);

        Assert.Equal(ModelFamily.SigLip, model.Family);
        Assert.Equal(64, model.TextEncoder.ContextLength);
        // "a photo of something red" is 5 word pieces, then </s> and padding: 59 end rows.
        var expected = ColourModel.Embed(SigLipColourModel.TextFeature(5, "red"), 32);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(expected[i], text.GetRow(0)[i], 5);
        }

        var redRed = Numerics.EmbeddingMath.Dot(images.Embeddings.GetRow(0), text.GetRow(0));
        var blueRed = Numerics.EmbeddingMath.Dot(images.Embeddings.GetRow(1), text.GetRow(0));
        Assert.True(redRed > blueRed + 0.5f, $"red·red {redRed}, blue·red {blueRed}");
    }

    [Fact]
    public async Task Prompts_are_always_padded_to_the_full_context_so_batching_never_changes_them()
    {
        using var model = ClipModel.Load(Folder(combined: false));

        var alone = await model.TextEncoder.EncodeAsync(["red"], Ct);
        var batched = await model.TextEncoder.EncodeAsync(["red", "a photo of something green on the duck"], Ct);

        // Trimming would change the number of padding rows summed, far beyond float rounding.
        for (var i = 0; i < alone.Dimension; i++)
        {
            Assert.Equal(alone.GetRow(0)[i], batched.GetRow(0)[i], 1e-5);
        }
        Assert.Equal(SigLipColourModel.PieceId("red"), model.TextEncoder.Tokenize("Red!").Ids[0]);
        Assert.Equal(1, model.TextEncoder.Tokenize("Red!").Ids[^1]); // </s>
    }

    [Fact]
    public void The_learned_scale_and_bias_are_read_from_the_combined_model()
    {
        using var model = ClipModel.Load(Folder(combined: true));

        var meta = model.TextEncoder.Metadata;

        Assert.NotNull(meta.LogitScale);
        Assert.NotNull(meta.LogitBias);
        Assert.Equal(SigLipColourModel.Scale, meta.LogitScale.Value, 3);
        Assert.Equal(SigLipColourModel.Bias, meta.LogitBias.Value, 3);
        Assert.Equal(meta.LogitScale, model.ImageEncoder.Metadata.LogitScale);
    }

    [Fact]
    public void Options_override_the_scale_and_bias_and_split_folders_have_none_by_default()
    {
        using var split = ClipModel.Load(Folder(combined: false));
        using var given = ClipModel.Load(Folder(combined: false), new OnnxModelOptions { LogitScale = 117f, LogitBias = -12.5f });

        Assert.Null(split.TextEncoder.Metadata.LogitScale);
        Assert.Null(split.TextEncoder.Metadata.LogitBias);
        Assert.Equal(117f, given.TextEncoder.Metadata.LogitScale);
        Assert.Equal(-12.5f, given.ImageEncoder.Metadata.LogitBias);
    }

    [Fact]
    public void SigLIP_preprocessing_is_a_plain_resize()
    {
        using var model = ClipModel.Load(Folder(combined: false));

        var pre = model.ImageEncoder.Preprocessor.Config;

        Assert.False(pre.DoCenterCrop);
        Assert.Null(pre.ShortestEdge);
        Assert.Equal(224, model.ImageEncoder.Preprocessor.Height);
        // A wide image keeps all of its content (no crop): a red left half and a blue right half average to purple.
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(400, 100);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = x < 200 ? new(255, 0, 0) : new(0, 0, 255);
                }
            }
        });
        using var ms = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, ms);
        var tensor = model.ImageEncoder.Preprocess(ms.ToArray());
        var plane = 224 * 224;
        Assert.Equal(0.0, tensor.AsSpan(0, plane).ToArray().Average(), 2);          // red channel: half 1, half -1
        Assert.Equal(0.0, tensor.AsSpan(2 * plane, plane).ToArray().Average(), 2);  // blue channel likewise
    }

    [Fact]
    public void A_SigLIP_folder_without_spiece_model_says_so()
    {
        var dir = Folder(combined: false);
        File.Delete(Path.Combine(dir, "spiece.model"));
        using var model = ClipModel.Load(dir);

        var ex = Assert.Throws<ModelFolderException>(() => model.TextEncoder);
        Assert.Contains("spiece.model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_combined_CLIP_colour_model_reports_its_scale_of_100_and_no_bias()
    {
        var dir = ColourModel.WriteFolder(Path.Combine(_root, "clip"), new ColourModelOptions { LogitScale = 50f });
        using var model = ClipModel.Load(dir);

        Assert.Equal(50f, model.TextEncoder.Metadata.LogitScale!.Value, 2);
        Assert.Null(model.TextEncoder.Metadata.LogitBias);
    }

    [Fact]
    public void A_pipeline_over_a_SigLIP_split_folder_without_scale_and_bias_is_refused_with_how_to_pass_them()
    {
        var builder = new ScoringPipelineBuilder().UseClip(Folder(combined: false)).WithPositive("red").WithNegative("blue");

        var ex = Assert.Throws<ModelFolderException>(() => builder.Build());

        Assert.Contains("SigLIP", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LogitScale", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LogitBias", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.logit_scale.exp()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("logits_per_image", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.LacksLogitCalibration);
        Assert.False(Assert.Throws<ModelFolderException>(() => ClipModel.Load(Path.Combine(Folder(combined: false), "missing"))).LacksLogitCalibration);
    }

    [Fact]
    public async Task A_pipeline_over_a_SigLIP_split_folder_scores_with_the_given_scale_and_bias()
    {
        var options = new OnnxModelOptions { LogitScale = SigLipColourModel.Scale, LogitBias = SigLipColourModel.Bias };
        using var pipeline = new ScoringPipelineBuilder().UseClip(Folder(combined: false), options).WithPositive("red").WithNegative("blue").Build();
        using var model = ClipModel.Load(Folder(combined: false), options);
        var magenta = TestImages.FlatPng(255, 0, 255, 400, 300);

        var result = await pipeline.ScoreAsync([Candidate.FromBytes("magenta", magenta)], cancellationToken: Ct);

        // Sigmoid calibration: P = σ(s·cos(red) + b) · (1 − σ(s·cos(blue) + b)) with the values given. CLIP's softmax
        // at 100 (the fallback this replaces) would give about 0.5 for an image as close to red as to blue.
        var text = await model.TextEncoder.EncodeAsync(["red", "blue"], Ct);
        var image = await model.ImageEncoder.EncodeAsync([new ImageInput("magenta", magenta)], Ct);
        var red = Numerics.EmbeddingMath.Dot(image.Embeddings.GetRow(0), text.GetRow(0));
        var blue = Numerics.EmbeddingMath.Dot(image.Embeddings.GetRow(0), text.GetRow(1));
        var expected = Sigmoid((SigLipColourModel.Scale * red) + SigLipColourModel.Bias) * (1 - Sigmoid((SigLipColourModel.Scale * blue) + SigLipColourModel.Bias));
        var ranked = Assert.Single(result.Ranked);
        Assert.Equal(expected, Assert.Single(ranked.Breakdown!.Components, c => c.Name == WeightedScorerOptions.ClipName).Value, 3);
        Assert.True(Math.Abs(expected - 0.5f) > 0.1f, $"P = {expected}: the check must be able to tell the sigmoid from a softmax");
    }

    private static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    [Fact]
    public void A_pipeline_over_a_combined_SigLIP_export_needs_nothing_passed()
    {
        using var pipeline = new ScoringPipelineBuilder().UseClip(Folder(combined: true)).WithPositive("red").Build();

        Assert.NotNull(pipeline);
    }

    [Fact]
    public void Scale_and_bias_are_read_from_config_json_when_an_export_adds_them()
    {
        var dir = Folder(combined: false);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        config["logit_scale"] = Math.Log(117.0); // the log value, as the checkpoint stores it
        config["logit_bias"] = -12.5;
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        using var model = ClipModel.Load(dir);

        Assert.Equal(117f, model.TextEncoder.Metadata.LogitScale!.Value, 3);
        Assert.Equal(-12.5f, model.ImageEncoder.Metadata.LogitBias!.Value, 5);
        using var pipeline = new ScoringPipelineBuilder().UseClip(dir).WithPositive("red").Build(); // no longer refused
    }

    [Fact]
    public void Loading_a_SigLIP_split_folder_without_scale_and_bias_warns_once()
    {
        var logs = new CapturingLoggerFactory();
        using var model = ClipModel.Load(Folder(combined: false), loggerFactory: logs);

        _ = model.TextEncoder;
        _ = model.ImageEncoder;

        var warning = Assert.Single(logs.Messages, m => m.Level == LogLevel.Warning);
        Assert.Contains("LogitScale", warning.Text, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerFactory owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Messages)
                {
                    owner.Messages.Add((logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
