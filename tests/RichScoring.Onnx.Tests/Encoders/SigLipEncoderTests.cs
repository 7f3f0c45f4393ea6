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
}
