using RichScoring.Onnx.Tests.Models;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary>Generated colour-model folders in a temporary directory, one per layout, removed after the tests.</summary>
public sealed class ModelFolderFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rs-models-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _folders = [];
    private readonly Lock _lock = new();

    internal string Get(string name, ColourModelOptions options)
    {
        lock (_lock)
        {
            if (!_folders.TryGetValue(name, out var path))
            {
                path = ColourModel.WriteFolder(Path.Combine(_root, name), options);
                _folders[name] = path;
            }

            return path;
        }
    }

    internal string Optimum => Get("optimum", new ColourModelOptions());

    internal string Split => Get("split", new ColourModelOptions { Layout = ColourModelLayout.Split, Variants = true });

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
