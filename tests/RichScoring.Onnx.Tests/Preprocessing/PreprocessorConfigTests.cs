using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Onnx.Tests.Preprocessing;

public class PreprocessorConfigTests
{
    [Fact]
    public void Defaults_AreOpenAiClip()
    {
        var c = new PreprocessorConfig();
        Assert.Equal(224, c.ShortestEdge);
        Assert.Equal(ResampleFilter.Bicubic, c.Resample);
        Assert.True(c.DoCenterCrop);
        Assert.Equal((224, 224), (c.OutputHeight, c.OutputWidth));
        Assert.Equal(1.0 / 255.0, c.RescaleFactor);
        Assert.Equal([0.48145466f, 0.4578275f, 0.40821073f], c.ImageMean);
        Assert.Equal([0.26862954f, 0.26130258f, 0.27577711f], c.ImageStd);
    }

    [Fact]
    public void OpenAiHubConfig_OldStyle_ParsesToTheDefaults()
    {
        // openai/clip-vit-base-patch32, as first published: sizes as bare integers.
        const string Json = """
            {
              "crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
              "feature_extractor_type": "CLIPFeatureExtractor",
              "image_mean": [0.48145466, 0.4578275, 0.40821073],
              "image_std": [0.26862954, 0.26130258, 0.27577711],
              "resample": 3, "size": 224
            }
            """;
        var c = PreprocessorConfig.Parse(Json);
        Assert.Equal(224, c.ShortestEdge);
        Assert.Null(c.ResizeHeight);
        Assert.Equal((224, 224), (c.CropHeight, c.CropWidth));
        Assert.Equal(ResampleFilter.Bicubic, c.Resample);
        Assert.Equal(PreprocessorConfig.OpenAiClip.ImageMean, c.ImageMean);
    }

    [Fact]
    public void HubConfig_NewStyle_WithSizeObjects()
    {
        const string Json = """
            {
              "image_processor_type": "CLIPImageProcessor",
              "size": {"shortest_edge": 336}, "crop_size": {"height": 336, "width": 336},
              "do_convert_rgb": true, "do_rescale": true, "rescale_factor": 0.00392156862745098,
              "resample": 2, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]
            }
            """;
        var c = PreprocessorConfig.Parse(Json);
        Assert.Equal(336, c.ShortestEdge);
        Assert.Equal((336, 336), (c.OutputHeight, c.OutputWidth));
        Assert.Equal(ResampleFilter.Bilinear, c.Resample);
        Assert.Equal([0.5f, 0.5f, 0.5f], c.ImageMean);
        Assert.Equal(3 * 336 * 336, new ImagePreprocessor(c).TensorLength);
    }

    [Fact]
    public void SigLipConfig_MeansAPlainResize()
    {
        // google/siglip-base-patch16-224
        const string Json = """
            {
              "do_normalize": true, "do_rescale": true, "do_resize": true,
              "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor",
              "image_std": [0.5, 0.5, 0.5], "processor_class": "SiglipProcessor",
              "resample": 3, "rescale_factor": 0.00392156862745098,
              "size": {"height": 224, "width": 224}
            }
            """;
        var c = PreprocessorConfig.Parse(Json);
        Assert.Null(c.ShortestEdge);
        Assert.Equal((224, 224), (c.ResizeHeight, c.ResizeWidth));
        Assert.False(c.DoCenterCrop); // SigLIP's processor has no crop; absent means its default, not CLIP's
        Assert.Equal((224, 224), (c.OutputHeight, c.OutputWidth));
        Assert.Equal(new ResizeGeometry(224, 224, 0, 0, 224, 224), ResizeGeometry.For(c, 800, 300));
    }

    [Fact]
    public void SigLipConfig_MissingFields_TakeSigLipDefaults()
    {
        var c = PreprocessorConfig.Parse("""{"image_processor_type": "SiglipImageProcessor", "size": {"height": 384, "width": 384}}""");
        Assert.Equal([0.5f, 0.5f, 0.5f], c.ImageMean);
        Assert.Equal([0.5f, 0.5f, 0.5f], c.ImageStd);
        Assert.Equal((384, 384), (c.OutputHeight, c.OutputWidth));
    }

    [Fact]
    public void ScalarMeanAndStd_AreBroadcast()
    {
        var c = PreprocessorConfig.Parse("""{"image_mean": 0.5, "image_std": [0.25]}""");
        Assert.Equal([0.5f, 0.5f, 0.5f], c.ImageMean);
        Assert.Equal([0.25f, 0.25f, 0.25f], c.ImageStd);
    }

    [Theory]
    [InlineData("""{"size": "big"}""", "'size'")]
    [InlineData("""{"size": {"longest_edge": 224}}""", "'size.longest_edge'")]
    [InlineData("""{"size": {"height": 224}}""", "'size'")]
    [InlineData("""{"size": {"shortest_edge": 22.5}}""", "'size.shortest_edge'")]
    [InlineData("""{"crop_size": [224, 224]}""", "'crop_size'")]
    [InlineData("""{"crop_size": {"height": 0, "width": 224}}""", "'crop_size'")]
    [InlineData("""{"resample": 9}""", "'resample'")]
    [InlineData("""{"resample": "bicubic"}""", "'resample'")]
    [InlineData("""{"do_resize": "yes"}""", "'do_resize'")]
    [InlineData("""{"image_mean": [0.5, 0.5]}""", "'image_mean'")]
    [InlineData("""{"image_std": [0.5, 0, 0.5]}""", "'image_std'")]
    [InlineData("""{"image_std": [0.5, "x", 0.5]}""", "'image_std[1]'")]
    [InlineData("""{"rescale_factor": -1}""", "'rescale_factor'")]
    [InlineData("""{"do_center_crop": false}""", "'do_center_crop'")]
    [InlineData("""[1, 2]""", "'(root)'")]
    public void BadFields_NameTheSourceAndTheField(string json, string field)
    {
        var e = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Parse(json, "models/clip/preprocessor_config.json"));
        Assert.StartsWith("models/clip/preprocessor_config.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadJson_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"preprocessor_config_{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"size": 224, "crop_size": }""");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Load(path));
            Assert.StartsWith(path + ": not valid JSON", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_ReadsAFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"preprocessor_config_{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"size": {"shortest_edge": 256}, "crop_size": 240, "resample": 1}""");
        try
        {
            var c = PreprocessorConfig.Load(path);
            Assert.Equal(256, c.ShortestEdge);
            Assert.Equal((240, 240), (c.OutputHeight, c.OutputWidth));
            Assert.Equal(ResampleFilter.Lanczos, c.Resample);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_RejectsAConfigWithoutAFixedSize()
    {
        var c = new PreprocessorConfig { DoCenterCrop = false };
        Assert.Throws<InvalidDataException>(c.Validate);
        Assert.Throws<InvalidDataException>(() => new ImagePreprocessor(c));
    }
}
