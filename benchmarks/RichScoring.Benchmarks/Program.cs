using BenchmarkDotNet.Running;
using RichScoring.Benchmarks.Onnx;

namespace RichScoring.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        // `-- write-vit-b32 <folder>` writes the random-weight ViT-B/32 benchmark model without running anything.
        if (args.Length >= 1 && args[0] == "write-vit-b32")
        {
            var folder = args.Length > 1 ? args[1] : Path.Combine(BenchmarkModel.RepositoryRoot(), ".models", "clip-vit-b32-random");
            ClipVitB32Writer.Write(folder, BenchmarkModel.SharedData("clip/bpe_simple_vocab_16e6.txt.gz"));
            Console.WriteLine($"Wrote {folder}");
            return;
        }

        // Benchmarks run in child processes built elsewhere: hand them the repository's folders through the environment.
        var root = BenchmarkModel.RepositoryRoot();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("RICHSCORING_BENCH_MODEL_DIR")))
        {
            Environment.SetEnvironmentVariable("RICHSCORING_BENCH_MODEL_DIR", Path.Combine(root, ".models", "clip-vit-b32-random"));
        }

        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("RICHSCORING_TEST_DATA")))
        {
            Environment.SetEnvironmentVariable("RICHSCORING_TEST_DATA", Path.GetFullPath(Path.Combine(root, "..", "shared", "data")));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
