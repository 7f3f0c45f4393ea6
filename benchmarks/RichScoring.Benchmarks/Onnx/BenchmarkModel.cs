namespace RichScoring.Benchmarks.Onnx;

/// <summary>Locates (and on first use writes) the random-weight ViT-B/32 model the encoder benchmarks run.</summary>
internal static class BenchmarkModel
{
    /// <summary><c>RICHSCORING_BENCH_MODEL_DIR</c>, else <c>.models/clip-vit-b32-random</c> under the repository root.</summary>
    public static string Folder()
    {
        var folder = Environment.GetEnvironmentVariable("RICHSCORING_BENCH_MODEL_DIR");
        if (string.IsNullOrWhiteSpace(folder))
        {
            folder = Path.Combine(RepositoryRoot(), ".models", "clip-vit-b32-random");
        }

        if (!File.Exists(Path.Combine(folder, "model.onnx")))
        {
            Console.WriteLine($"// Writing a random-weight CLIP ViT-B/32 model to {folder} (about 600 MB, once)…");
            ClipVitB32Writer.Write(folder, SharedData("clip/bpe_simple_vocab_16e6.txt.gz"));
        }

        return folder;
    }

    /// <summary>A file of the shared test data (RICHSCORING_TEST_DATA or ../shared/data), or null.</summary>
    public static string? SharedData(string relative)
    {
        var root = Environment.GetEnvironmentVariable("RICHSCORING_TEST_DATA");
        root = string.IsNullOrWhiteSpace(root) ? Path.Combine(RepositoryRoot(), "..", "shared", "data") : root;
        var path = Path.GetFullPath(Path.Combine(root, relative));
        return File.Exists(path) ? path : null;
    }

    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RichScoring.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
