using System.Runtime.CompilerServices;

namespace RichScoring.Testing;

/// <summary>
/// Finds the shared reference data (GUIDE §6) that must never be copied into the repository:
/// <c>RICHSCORING_TEST_DATA</c>, else <c>../shared/data</c> beside the repository root.
/// Where it is missing a test skips with a message, unless <c>RICHSCORING_REQUIRE_TEST_DATA=1</c> (CI), where it fails.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>Full path of a file under the data root; skips (or fails in CI) when it is missing.</summary>
    public static string RequireFile(string relativePath)
    {
        var root = Root.Value;
        var path = root is null ? null : Path.Combine(root, relativePath);
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        var message = $"Shared test data '{relativePath}' not found (looked in {(root ?? "RICHSCORING_TEST_DATA / ../shared/data")}). " +
                      "Set RICHSCORING_TEST_DATA to the folder holding clip/ and golden/.";
        if (Environment.GetEnvironmentVariable("RICHSCORING_REQUIRE_TEST_DATA") == "1")
        {
            Assert.Fail(message + " RICHSCORING_REQUIRE_TEST_DATA=1 forbids skipping.");
        }

        Assert.Skip(message);
        return null!; // unreachable: Assert.Skip throws
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("RICHSCORING_TEST_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        var repoRoot = FindRepositoryRoot();
        return repoRoot is null ? null : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "data"));
    }

    private static string? FindRepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        // Walk up from the test binaries (and, failing that, from this source file) to the folder with RichScoring.sln.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RichScoring.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
