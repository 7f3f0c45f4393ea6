using RichScoring.Cli.Models;
using RichScoring.Onnx.Tests.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Cli.Tests.Diagnostics;

/// <summary>A generated colour-model folder and a scratch folder for one test, run through richscore with no hub.</summary>
internal sealed class DiagnosticsModel : IDisposable
{
    public DiagnosticsModel(ColourModelOptions? options = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "richscore-diagnostics-tests", Guid.NewGuid().ToString("N"));
        Folder = ColourModel.WriteFolder(Path.Combine(Root, "model"), options ?? new ColourModelOptions { Layout = ColourModelLayout.Split });
    }

    public string Root { get; }

    public string Folder { get; }

    public string WritePng(string name, Rgb24 colour, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, colour);
        // A second colour in one corner so resizing and cropping have something to move.
        for (var y = 0; y < height / 3; y++)
        {
            for (var x = 0; x < width / 4; x++)
            {
                image[x, y] = new Rgb24(250, 250, 20);
            }
        }

        var path = Path.Combine(Root, name);
        image.SaveAsPng(path);
        return path;
    }

    public async Task<Models.CliRun> RunAsync(params string[] args)
    {
        // No catalogue model is used: --model points at the folder, and an empty cache proves nothing is fetched.
        using var services = new ModelServices(ModelCatalogue.BuiltIn, () => new ModelDownloaderOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9"),
            ModelsRoot = Path.Combine(Root, "cache"),
            MaxAttempts = 1,
        });
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, services, TestContext.Current.CancellationToken);
        return new Models.CliRun(exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
