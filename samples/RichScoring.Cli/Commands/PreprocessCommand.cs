using System.CommandLine;
using System.Globalization;
using RichScoring.Cli.Models;
using RichScoring.Onnx;

namespace RichScoring.Cli.Commands;

/// <summary>
/// <c>richscore preprocess --model &lt;m&gt; &lt;image&gt; --out x.npy</c>: writes the tensor the model's image encoder
/// receives, [1, 3, H, W] float32, as a NumPy file (to compare with another implementation's preprocessing).
/// </summary>
internal static class PreprocessCommand
{
    public static Command Create(ModelServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var model = new ModelSelectionOptions(services.Catalogue);
        var image = new Argument<FileInfo>("image") { Description = "The image file." };
        var output = new Option<FileInfo>("--out", "-o")
        {
            Description = "The .npy file to write.",
            Required = true,
            HelpName = "file.npy",
        };
        var command = new Command("preprocess", "Write the model's input tensor for an image, [1, 3, H, W] float32, as a NumPy .npy file.");
        model.AddTo(command);
        command.Arguments.Add(image);
        command.Options.Add(output);
        command.SetAction((parse, ct) => CommandErrors.RunAsync(parse, async (stdout, error) =>
        {
            var source = parse.GetRequiredValue(image);
            var target = parse.GetRequiredValue(output);
            if (!source.Exists)
            {
                throw new FileNotFoundException($"Image '{source.FullName}' does not exist.", source.FullName);
            }

            var bytes = await File.ReadAllBytesAsync(source.FullName, ct).ConfigureAwait(false);
            var resolved = await model.ResolveAsync(parse, services, error, ct).ConfigureAwait(false);
            using var encoder = ClipImageEncoder.Create(resolved.Folder, resolved.CreateOnnxOptions());
            var tensor = encoder.Preprocess(bytes);
            int[] shape = [1, 3, encoder.Preprocessor.Height, encoder.Preprocessor.Width];

            target.Directory?.Create();
            var temp = target.FullName + ".tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                NpyWriter.WriteFloat32(stream, tensor, shape);
            }

            File.Move(temp, target.FullName, overwrite: true);
            await stdout.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"{target.FullName}: float32 [{string.Join(", ", shape)}]")).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }
}
