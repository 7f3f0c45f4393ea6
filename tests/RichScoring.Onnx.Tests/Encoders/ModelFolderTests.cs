using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary>Folders of the wrong shape get one exception type with a message naming what was expected and found.</summary>
public sealed class ModelFolderTests(ModelFolderFixture models) : IClassFixture<ModelFolderFixture>
{
    [Fact]
    public void A_missing_folder_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<ModelFolderException>(() => ClipModel.Load(path));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_models_lists_what_it_expected_and_found()
    {
        var dir = Directory.CreateTempSubdirectory("rs-empty-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), "{}");
            var ex = Assert.Throws<ModelFolderException>(() => ClipModel.Load(dir));
            Assert.Contains("model.onnx", ex.Message, StringComparison.Ordinal);
            Assert.Contains("onnx/text_model.onnx", ex.Message, StringComparison.Ordinal);
            Assert.Contains("found config.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Wrong_input_names_are_reported_with_what_the_model_has()
    {
        var dir = models.Get("wrong-names", new ColourModelOptions { Layout = ColourModelLayout.Split, PixelValuesName = "image", InputIdsName = "ids" });
        using var model = ClipModel.Load(dir);

        var image = Assert.Throws<ModelFolderException>(() => model.ImageEncoder);
        Assert.Contains("'pixel_values'", image.Message, StringComparison.Ordinal);
        Assert.Contains("image (Float [image_batch_size, 3, 224, 224])", image.Message, StringComparison.Ordinal);
        var text = Assert.Throws<ModelFolderException>(() => model.TextEncoder);
        Assert.Contains("'input_ids'", text.Message, StringComparison.Ordinal);
        Assert.Contains("ids (Int64", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_files_are_preferred_over_a_combined_model_in_the_same_folder()
    {
        var dir = Directory.CreateTempSubdirectory("rs-both-").FullName;
        try
        {
            ColourModel.WriteFolder(dir, new ColourModelOptions { Layout = ColourModelLayout.Optimum });
            ColourModel.WriteFolder(dir, new ColourModelOptions { Layout = ColourModelLayout.Split });
            Assert.True(File.Exists(Path.Combine(dir, "model.onnx")));
            var opened = new List<string>();
            using var model = ClipModel.Load(dir, new OnnxModelOptions { ConfigureSession = _ => opened.Add("session") });

            var text = model.TextEncoder;
            var image = model.ImageEncoder;

            Assert.Equal(Path.Combine(dir, "onnx", "text_model.onnx"), text.Session.Path);
            Assert.Equal(Path.Combine(dir, "onnx", "vision_model.onnx"), image.Session.Path);
            Assert.False(text.Session.Inputs.ContainsKey("pixel_values")); // really the text-only graph, fed no dummy image
            Assert.False(image.Session.Inputs.ContainsKey("input_ids"));
            Assert.Equal(2, opened.Count); // model.onnx was never opened
            Assert.Equal(0, (await image.EncodeAsync([new ImageInput("red", TestImages.FlatPng(255, 0, 0))], TestContext.Current.CancellationToken)).FailedCount);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_missing_variant_is_reported()
    {
        var ex = Assert.Throws<ModelFolderException>(() => ClipModel.Load(models.Optimum, new OnnxModelOptions { Variant = ModelVariant.Fp16 }));
        Assert.Contains("model_fp16.onnx", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_tokenizer_files_are_reported_when_text_is_used()
    {
        var dir = models.Get("no-tokenizer", new ColourModelOptions { Layout = ColourModelLayout.Split, Tokenizer = "none" });
        using var model = ClipModel.Load(dir);

        Assert.NotNull(model.ImageEncoder); // images need no tokenizer
        var ex = Assert.Throws<ModelFolderException>(() => model.TextEncoder);
        Assert.Contains("vocab.json + merges.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_onnx_file_is_a_folder_error_not_a_runtime_stack_trace()
    {
        var dir = Directory.CreateTempSubdirectory("rs-corrupt-").FullName;
        try
        {
            ColourModel.WriteFolder(dir, new ColourModelOptions { Layout = ColourModelLayout.Split });
            File.WriteAllBytes(Path.Combine(dir, "onnx", "vision_model.onnx"), [1, 2, 3, 4, 5]);
            using var model = ClipModel.Load(dir);
            var ex = Assert.Throws<ModelFolderException>(() => model.ImageEncoder);
            Assert.Contains("onnx/vision_model.onnx could not be loaded by ONNX Runtime", ex.Message.Replace('\\', '/'), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Preprocessing_that_does_not_match_the_model_input_is_reported()
    {
        var dir = Directory.CreateTempSubdirectory("rs-size-").FullName;
        try
        {
            ColourModel.WriteFolder(dir, new ColourModelOptions { Layout = ColourModelLayout.Split });
            var config = File.ReadAllText(Path.Combine(dir, "preprocessor_config.json")).Replace("224", "64", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir, "preprocessor_config.json"), config);
            using var model = ClipModel.Load(dir);
            var ex = Assert.Throws<ModelFolderException>(() => model.ImageEncoder);
            Assert.Contains("[batch, 3, 64, 64]", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Malformed_config_json_is_reported()
    {
        var dir = Directory.CreateTempSubdirectory("rs-config-").FullName;
        try
        {
            ColourModel.WriteFolder(dir, new ColourModelOptions { Layout = ColourModelLayout.Split });
            File.WriteAllText(Path.Combine(dir, "config.json"), "{ not json");
            var ex = Assert.Throws<ModelFolderException>(() => ClipModel.Load(dir));
            Assert.Contains("config.json is not valid JSON", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
