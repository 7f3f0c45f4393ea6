using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary>The encoders over real ONNX Runtime sessions of the generated colour model, in every folder layout.</summary>
public sealed class EncoderTests(ModelFolderFixture models) : IClassFixture<ModelFolderFixture>
{
    private static readonly (string Name, byte R, byte G, byte B)[] Swatches =
    [
        ("red", 255, 0, 0), ("green", 0, 255, 0), ("blue", 0, 0, 255), ("yellow", 255, 255, 0), ("black", 0, 0, 0),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ImageInput[] SwatchImages() => [.. Swatches.Select(s => new ImageInput(s.Name, TestImages.FlatPng(s.R, s.G, s.B)))];

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return (float)sum;
    }

    // ONNX Runtime picks kernels and thread splits by batch shape, so equal inputs agree to float rounding, not bit for bit.
    private static void AssertRowsEqual(EmbeddingBatch expected, EmbeddingBatch actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Span.Length; i++)
        {
            Assert.True(Math.Abs(expected.Span[i] - actual.Span[i]) <= tolerance, $"value {i}: {expected.Span[i]} vs {actual.Span[i]} (tolerance {tolerance})");
        }
    }

    [Theory]
    [InlineData("optimum")]
    [InlineData("split")]
    public async Task A_red_image_ranks_first_for_red_and_last_for_blue(string layout)
    {
        using var model = ClipModel.Load(layout == "optimum" ? models.Optimum : models.Split);

        var images = await model.ImageEncoder.EncodeAsync(SwatchImages(), Ct);
        var prompts = await model.TextEncoder.EncodeAsync(["a photo of something red", "a photo of something blue"], Ct);

        Assert.Equal(0, images.FailedCount);
        var red = Enumerable.Range(0, Swatches.Length).Select(i => Dot(images.Embeddings.GetRow(i), prompts.GetRow(0))).ToArray();
        var blue = Enumerable.Range(0, Swatches.Length).Select(i => Dot(images.Embeddings.GetRow(i), prompts.GetRow(1))).ToArray();
        Assert.Equal("red", Swatches[Array.IndexOf(red, red.Max())].Name);
        Assert.Equal("blue", Swatches[Array.IndexOf(blue, blue.Max())].Name);
        Assert.True(red[2] < red[0] - 0.9f, $"blue image vs red prompt {red[2]}, red image {red[0]}");
        Assert.Equal("red", Swatches[Array.IndexOf(blue, blue.Min())].Name);
    }

    [Fact]
    public async Task Embeddings_match_the_closed_form_and_are_normalized()
    {
        using var model = ClipModel.Load(models.Split);

        var images = await model.ImageEncoder.EncodeAsync([new ImageInput("y", TestImages.FlatPng(255, 255, 0))], Ct);
        var text = await model.TextEncoder.EncodeAsync(["yellow"], Ct);

        Assert.True(images.Embeddings.IsNormalized);
        var expectedImage = ColourModel.Embed(ColourModel.ImageFeature(1, 1, 0), 32);
        float[] yellowText = [1 + ColourModel.EndRow[0], 1 + ColourModel.EndRow[1], ColourModel.EndRow[2], ColourModel.EndRow[3]];
        var expectedText = ColourModel.Embed(yellowText, 32);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(expectedImage[i], images.Embeddings.GetRow(0)[i], 3); // PNG round trip + resampling: within 1/255
            Assert.Equal(expectedText[i], text.GetRow(0)[i], 5);
        }
    }

    [Fact]
    public async Task Split_and_combined_layouts_give_the_same_embeddings()
    {
        using var optimum = ClipModel.Load(models.Optimum);
        using var split = ClipModel.Load(models.Split);
        string[] prompts = ["a photo of something red", "green", "", "the duck"];

        AssertRowsEqual(await optimum.TextEncoder.EncodeAsync(prompts, Ct), await split.TextEncoder.EncodeAsync(prompts, Ct));
        var a = await optimum.ImageEncoder.EncodeAsync(SwatchImages(), Ct);
        var b = await split.ImageEncoder.EncodeAsync(SwatchImages(), Ct);
        AssertRowsEqual(a.Embeddings, b.Embeddings);
    }

    [Fact]
    public async Task Trimming_padding_to_the_longest_prompt_does_not_change_embeddings()
    {
        // Reference: a model whose sequence axis is fixed at 77, so every prompt is padded to the full context.
        var full = models.Get("static-seq", new ColourModelOptions { Layout = ColourModelLayout.Split, StaticSequence = true });
        using var trimmed = ClipModel.Load(models.Split);
        using var padded = ClipModel.Load(full);
        string[] prompts = ["red", "a photo of something magenta on the white duck picture", "blue"];

        var trimmedBatch = await trimmed.TextEncoder.EncodeAsync(prompts, Ct);
        var paddedBatch = await padded.TextEncoder.EncodeAsync(prompts, Ct);
        var alone = await trimmed.TextEncoder.EncodeAsync(["red"], Ct);

        AssertRowsEqual(paddedBatch, trimmedBatch);
        for (var i = 0; i < alone.Dimension; i++)
        {
            Assert.Equal(alone.GetRow(0)[i], trimmedBatch.GetRow(0)[i], 1e-5); // same prompt, batched with a longer one
        }
    }

    [Fact]
    public async Task A_combined_model_with_a_fixed_sequence_axis_encodes_images_alone()
    {
        // model.onnx whose input_ids / attention_mask are [batch, 77]: images alone must feed a dummy text of 77 tokens.
        var fixedSequence = models.Get("optimum-static-seq", new ColourModelOptions { StaticSequence = true, LogitScale = 50f });
        using var model = ClipModel.Load(fixedSequence);
        using var reference = ClipModel.Load(models.Optimum);

        var images = await model.ImageEncoder.EncodeAsync(SwatchImages(), Ct);

        Assert.Equal(77, model.ImageEncoder.Session.Inputs["input_ids"].Dimensions[1]);
        Assert.Equal(0, images.FailedCount);
        AssertRowsEqual((await reference.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings, images.Embeddings);
        AssertRowsEqual(await reference.TextEncoder.EncodeAsync(["red", "a photo of something blue"], Ct), await model.TextEncoder.EncodeAsync(["red", "a photo of something blue"], Ct));
        Assert.Equal(50f, model.ImageEncoder.Metadata.LogitScale!.Value, 2); // the logit probe feeds 77 tokens too
    }

    [Fact]
    public async Task A_combined_model_with_a_fixed_batch_axis_encodes_each_modality_alone()
    {
        var fixedBatch = models.Get("optimum-static-batch", new ColourModelOptions { StaticBatch = true, StaticSequence = true });
        using var model = ClipModel.Load(fixedBatch);
        using var reference = ClipModel.Load(models.Optimum);

        AssertRowsEqual((await reference.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings, (await model.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings);
        AssertRowsEqual(await reference.TextEncoder.EncodeAsync(["red", "green", "blue"], Ct), await model.TextEncoder.EncodeAsync(["red", "green", "blue"], Ct));
    }

    [Fact]
    public async Task Padding_with_zero_instead_of_the_end_token_changes_nothing()
    {
        using var endPadded = ClipModel.Load(models.Split);
        using var zeroPadded = ClipModel.Load(models.Split, new OnnxModelOptions { PaddingTokenId = 0 });
        string[] prompts = ["red", "a photo of something cyan"];

        AssertRowsEqual(await endPadded.TextEncoder.EncodeAsync(prompts, Ct), await zeroPadded.TextEncoder.EncodeAsync(prompts, Ct));
    }

    [Fact]
    public async Task A_model_without_attention_mask_works()
    {
        var noMask = models.Get("no-mask", new ColourModelOptions { Layout = ColourModelLayout.Split, AttentionMask = false });
        using var a = ClipModel.Load(noMask);
        using var b = ClipModel.Load(models.Split);
        string[] prompts = ["black", "a photo of something yellow"];

        AssertRowsEqual(await b.TextEncoder.EncodeAsync(prompts, Ct), await a.TextEncoder.EncodeAsync(prompts, Ct));
    }

    [Fact]
    public async Task A_static_batch_axis_is_fed_one_item_at_a_time()
    {
        var fixedBatch = models.Get("static-batch", new ColourModelOptions { Layout = ColourModelLayout.Split, StaticBatch = true });
        using var one = ClipModel.Load(fixedBatch);
        using var many = ClipModel.Load(models.Split);
        string[] prompts = ["red", "green", "blue", "a photo of something white"];
        var images = SwatchImages();

        AssertRowsEqual(await many.TextEncoder.EncodeAsync(prompts, Ct), await one.TextEncoder.EncodeAsync(prompts, Ct));
        AssertRowsEqual((await many.ImageEncoder.EncodeAsync(images, Ct)).Embeddings, (await one.ImageEncoder.EncodeAsync(images, Ct)).Embeddings);
    }

    [Fact]
    public async Task Batches_larger_than_the_maximum_are_chunked_without_changing_results()
    {
        using var small = ClipModel.Load(models.Split, new OnnxModelOptions { MaxTextBatchSize = 2, MaxImageBatchSize = 2 });
        using var large = ClipModel.Load(models.Split);
        string[] prompts = ["red", "green", "blue", "yellow", "cyan"];

        AssertRowsEqual(await large.TextEncoder.EncodeAsync(prompts, Ct), await small.TextEncoder.EncodeAsync(prompts, Ct));
        AssertRowsEqual((await large.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings, (await small.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings);
    }

    [Theory]
    [InlineData(ModelVariant.Quantized, ":quantized")]
    [InlineData(ModelVariant.Fp16, ":fp16")]
    public async Task Variants_are_picked_by_option_and_give_close_embeddings(ModelVariant variant, string suffix)
    {
        using var full = ClipModel.Load(models.Split);
        using var other = ClipModel.Load(models.Split, new OnnxModelOptions { Variant = variant });

        Assert.EndsWith(suffix, other.ModelId, StringComparison.Ordinal);
        Assert.NotEqual(full.ModelId, other.ModelId); // different weights must never share cache entries
        var file = variant == ModelVariant.Quantized ? "_quantized" : "_fp16";
        Assert.Equal(Path.Combine(models.Split, "onnx", $"vision_model{file}.onnx"), other.ImageEncoder.Session.Path);
        Assert.Equal(Path.Combine(models.Split, "onnx", $"text_model{file}.onnx"), other.TextEncoder.Session.Path);
        Assert.Equal(Path.Combine(models.Split, "onnx", "vision_model.onnx"), full.ImageEncoder.Session.Path);
        var pixelType = other.ImageEncoder.Session.Inputs["pixel_values"].ElementDataType;
        Assert.Equal(variant == ModelVariant.Fp16 ? Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16 : Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, pixelType);
        AssertRowsEqual((await full.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings, (await other.ImageEncoder.EncodeAsync(SwatchImages(), Ct)).Embeddings, 0.01);
        AssertRowsEqual(await full.TextEncoder.EncodeAsync(["red", "blue"], Ct), await other.TextEncoder.EncodeAsync(["red", "blue"], Ct), 0.01);
    }

    [Fact]
    public async Task A_tokenizer_json_folder_tokenizes_like_vocab_and_merges()
    {
        var json = models.Get("tokenizer-json", new ColourModelOptions { Layout = ColourModelLayout.Split, Tokenizer = "tokenizer.json" });
        using var a = ClipModel.Load(json);
        using var b = ClipModel.Load(models.Split);

        Assert.Equal(b.TextEncoder.Tokenize("a photo of something red").Ids, a.TextEncoder.Tokenize("a photo of something red").Ids);
        AssertRowsEqual(await b.TextEncoder.EncodeAsync(["cyan"], Ct), await a.TextEncoder.EncodeAsync(["cyan"], Ct));
    }

    [Fact]
    public async Task Bad_images_fail_alone_and_the_rest_of_the_batch_is_encoded()
    {
        using var model = ClipModel.Load(models.Split);
        var good = TestImages.FlatPng(255, 0, 0);
        ImageInput[] batch =
        [
            new("good-1", good),
            new("empty", Array.Empty<byte>()),
            new("html", "<!DOCTYPE html><html><body>Not found</body></html>"u8.ToArray()),
            new("truncated", good.AsMemory(0, good.Length / 2)),
            new("good-2", TestImages.FlatJpeg(0, 0, 255)),
        ];

        var result = await model.ImageEncoder.EncodeAsync(batch, Ct);

        Assert.Equal(3, result.FailedCount);
        Assert.True(result.IsSuccess(0));
        Assert.True(result.IsSuccess(4));
        Assert.Equal(ImageErrorKind.Empty, Assert.IsType<InvalidImageException>(result.GetError(1)).Kind);
        var html = Assert.IsType<InvalidImageException>(result.GetError(2));
        Assert.Equal(ImageErrorKind.NotAnImage, html.Kind);
        Assert.Contains("HTML", html.Message, StringComparison.Ordinal);
        Assert.Equal("html", html.ImageId);
        Assert.Equal(ImageErrorKind.Corrupt, Assert.IsType<InvalidImageException>(result.GetError(3)).Kind);
        Assert.All(result.Embeddings.GetRow(1).ToArray(), v => Assert.Equal(0f, v));

        // The good images got the same embeddings as when encoded alone.
        var alone = await model.ImageEncoder.EncodeAsync([new ImageInput("a", good), new ImageInput("b", TestImages.FlatJpeg(0, 0, 255))], Ct);
        AssertRowsEqual(alone.Embeddings, result.Embeddings.Select([0, 4]));
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_fails_before_decoding()
    {
        using var model = ClipModel.Load(models.Split, new OnnxModelOptions { ImageDecoding = new RichScoring.Onnx.Preprocessing.ImageDecodeOptions { MaxPixels = 1000 } });

        var result = await model.ImageEncoder.EncodeAsync([new ImageInput("big", TestImages.FlatPng(1, 2, 3, 100, 100)), new ImageInput("ok", TestImages.FlatPng(1, 2, 3, 20, 20))], Ct);

        Assert.Equal(ImageErrorKind.TooLarge, Assert.IsType<InvalidImageException>(result.GetError(0)).Kind);
        Assert.True(result.IsSuccess(1));
    }

    [Fact]
    public async Task Long_prompts_are_truncated_with_the_end_token_last_and_flagged()
    {
        using var model = ClipModel.Load(models.Split);
        var words = string.Join(' ', Enumerable.Repeat("red", 100));

        var tokens = model.TextEncoder.Tokenize(words);
        var embedding = await model.TextEncoder.EncodeAsync([words], Ct);

        Assert.True(tokens.Truncated);
        Assert.Equal(77, tokens.Ids.Count);
        Assert.Equal(ColourVocabulary.Create().EndId, tokens.Ids[^1]);
        Assert.False(model.TextEncoder.Tokenize("red").Truncated);
        var red = await model.TextEncoder.EncodeAsync(["red"], Ct);
        Assert.True(Dot(embedding.GetRow(0), red.GetRow(0)) > 0.99f);
    }

    [Fact]
    public async Task Metadata_describes_the_model()
    {
        using var model = ClipModel.Load(models.Split);

        var text = model.TextEncoder.GetMetadata();
        var image = model.ImageEncoder.GetMetadata();

        Assert.Equal(Path.GetFileName(models.Split), text.ModelId);
        Assert.Equal(text.ModelId, image.ModelId);
        Assert.Equal(32, text.Dimension);
        Assert.Equal(32, image.Dimension);
        Assert.Equal(77, text.ContextLength);
        Assert.Equal(224, image.ImageSize);
        Assert.Equal(100f, text.LogitScale);
        Assert.Null(text.LogitBias);
        Assert.Equal(ModelFamily.Clip, model.Family);
        var embeddings = await model.TextEncoder.EncodeAsync(["red"], Ct);
        Assert.Equal(text.ModelId, embeddings.ModelId);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_encoder_safely()
    {
        using var model = ClipModel.Load(models.Split);
        var expected = await model.ImageEncoder.EncodeAsync(SwatchImages(), Ct);

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => model.ImageEncoder.EncodeAsync(SwatchImages(), Ct), Ct)));

        Assert.All(runs, r => AssertRowsEqual(expected.Embeddings, r.Embeddings));
    }

    [Fact]
    public async Task A_cancelled_token_stops_encoding()
    {
        using var model = ClipModel.Load(models.Split);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.TextEncoder.EncodeAsync(["red"], cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.ImageEncoder.EncodeAsync(SwatchImages(), cts.Token));
    }

    [Fact]
    public async Task Empty_batches_give_empty_results()
    {
        using var model = ClipModel.Load(models.Split);

        Assert.Equal(0, (await model.TextEncoder.EncodeAsync([], Ct)).Count);
        Assert.Equal(0, (await model.ImageEncoder.EncodeAsync([], Ct)).Count);
    }

    [Fact]
    public async Task Works_as_a_Microsoft_Extensions_AI_embedding_generator()
    {
        using var model = ClipModel.Load(models.Split);
        var generator = model.TextEncoder.AsEmbeddingGenerator();

        var vector = await Microsoft.Extensions.AI.EmbeddingGeneratorExtensions.GenerateVectorAsync(generator, "red", cancellationToken: Ct);

        Assert.Equal((await model.TextEncoder.EncodeAsync(["red"], Ct)).GetRow(0).ToArray(), vector.ToArray());
    }
}
