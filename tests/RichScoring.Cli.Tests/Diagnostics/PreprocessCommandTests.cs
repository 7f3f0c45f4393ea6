using RichScoring.Onnx;
using RichScoring.Onnx.Tests.Models;
using RichScoring.Testing;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Cli.Tests.Diagnostics;

public sealed class PreprocessCommandTests : IDisposable
{
    private readonly DiagnosticsModel _model = new();

    public void Dispose() => _model.Dispose();

    [Theory]
    [InlineData(320, 200)]
    [InlineData(150, 500)]
    public async Task The_npy_file_holds_the_tensor_the_image_encoder_receives(int width, int height)
    {
        var image = _model.WritePng("photo.png", new Rgb24(30, 90, 200), width, height);
        var output = Path.Combine(_model.Root, "out", "tensor.npy");

        var run = await _model.RunAsync("preprocess", "--model", _model.Folder, image, "--out", output);

        Assert.Equal(0, run.Exit);
        Assert.Empty(run.Error);
        Assert.Contains("float32 [1, 3, 224, 224]", run.Output, StringComparison.Ordinal);
        var (shape, data, _) = NpyReader.ReadFloat32(File.ReadAllBytes(output));
        Assert.Equal([1, 3, 224, 224], shape);
        using var encoder = ClipImageEncoder.Create(_model.Folder);
        Assert.Equal(encoder.Preprocess(File.ReadAllBytes(image)), data);
        // And the values are CLIP-normalised pixels: the blue channel of the blue area, (200/255 - mean) / std.
        var blue = ((200 / 255f) - ColourModel.Mean[2]) / ColourModel.Std[2];
        Assert.Equal(blue, data[(2 * 224 * 224) + (223 * 224) + 223], 3);
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public async Task The_golden_image_gives_openai_clips_tensor()
    {
        // The colour model's preprocessor_config.json is OpenAI CLIP's, so the output must be the reference tensor up to
        // JPEG decoder differences (the bounds of the library's own parity test).
        var jpeg = TestData.RequireFile("golden/franz-kafka.jpg");
        var golden = File.ReadAllBytes(TestData.RequireFile("golden/expected_preprocessed_image.npy"));
        var output = Path.Combine(_model.Root, "kafka.npy");

        var run = await _model.RunAsync("preprocess", "--model", _model.Folder, jpeg, "--out", output);

        Assert.Equal(0, run.Exit);
        var written = File.ReadAllBytes(output);
        Assert.Equal(golden.Length, written.Length);
        Assert.Equal(golden[..128], written[..128]); // numpy's own header, byte for byte
        var (_, expected, _) = NpyReader.ReadFloat32(golden);
        var (_, actual, _) = NpyReader.ReadFloat32(written);
        var differences = actual.Zip(expected, (a, e) => Math.Abs(a - e)).ToArray();
        Assert.InRange(differences.Max(), 0, 0.045);
        Assert.InRange(differences.Average(), 0, 0.0006);
    }

    [Fact]
    public async Task The_tensor_size_follows_the_model()
    {
        using var small = new DiagnosticsModel(new ColourModelOptions { Layout = ColourModelLayout.Split, ImageSize = 64 });
        var image = small.WritePng("photo.png", new Rgb24(200, 10, 10), 100, 80);
        var output = Path.Combine(small.Root, "tensor.npy");

        var run = await small.RunAsync("preprocess", "--model", small.Folder, image, "-o", output);

        Assert.Equal(0, run.Exit);
        var (shape, data, _) = NpyReader.ReadFloat32(File.ReadAllBytes(output));
        Assert.Equal([1, 3, 64, 64], shape);
        Assert.Equal(3 * 64 * 64, data.Length);
    }

    [Fact]
    public async Task A_missing_image_and_a_non_image_are_clean_errors()
    {
        var output = Path.Combine(_model.Root, "tensor.npy");
        var missing = await _model.RunAsync("preprocess", "--model", _model.Folder, Path.Combine(_model.Root, "none.png"), "--out", output);
        Assert.Equal(1, missing.Exit);
        Assert.Equal([$"error: file not found: {Path.Combine(_model.Root, "none.png")}"], missing.ErrorLines);

        var text = Path.Combine(_model.Root, "notes.png");
        await File.WriteAllTextAsync(text, "<html>not an image</html>", TestContext.Current.CancellationToken);
        var invalid = await _model.RunAsync("preprocess", "--model", _model.Folder, text, "--out", output);
        Assert.Equal(1, invalid.Exit);
        var line = Assert.Single(invalid.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task The_output_option_is_required()
    {
        var image = _model.WritePng("photo.png", new Rgb24(30, 90, 200), 50, 50);

        var run = await _model.RunAsync("preprocess", "--model", _model.Folder, image);

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("--out", run.Error, StringComparison.Ordinal);
    }
}
