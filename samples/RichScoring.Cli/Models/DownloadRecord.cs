using System.Text.Json;
using System.Text.Json.Serialization;

namespace RichScoring.Cli.Models;

/// <summary>
/// The sidecar kept for each downloaded file in <c>&lt;model&gt;/.richscore/&lt;path&gt;.download</c> (JSON; not named
/// <c>.json</c> so that model-folder listings in error messages leave it out): what was expected of a
/// partial download (so a resume can tell a stale <c>.partial</c> from a good one) and what a complete file was
/// verified against (so the next run skips it without a request).
/// </summary>
internal sealed record DownloadRecord
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public const string FolderName = ".richscore";

    public required string Repository { get; init; }

    public required string Revision { get; init; }

    public required string Path { get; init; }

    /// <summary>True once the file was verified and moved into place.</summary>
    public bool Complete { get; init; }

    /// <summary>The expected (partial) or verified (complete) size.</summary>
    public long? Size { get; init; }

    /// <summary>The SHA-256 the file was checked against (LFS files: X-Linked-Etag, or a catalogue pin).</summary>
    public string? Sha256 { get; init; }

    /// <summary>The git blob id the file was checked against (small files: the hub's ETag).</summary>
    public string? GitBlobSha1 { get; init; }

    /// <summary>Where the file came from.</summary>
    public string? Source { get; init; }

    public static string PathFor(string modelFolder, string relativePath) =>
        System.IO.Path.Combine(modelFolder, FolderName, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar) + ".download");

    /// <summary>Reads a record; a missing or unreadable one is null (the file is then fetched again).</summary>
    public static DownloadRecord? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<DownloadRecord>(File.ReadAllBytes(path), Json) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes the record through a temporary file, so a crash never leaves half a record.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
