using System.Net.Http.Headers;

namespace RichScoring.Cli.Models;

/// <summary>
/// What the hub says about a file, gathered over the redirect chain. Hugging Face answers a <c>resolve</c> request
/// for an LFS file with a redirect to its CDN carrying <c>X-Linked-Etag: "&lt;sha256&gt;"</c> and <c>X-Linked-Size</c>;
/// a small file comes straight back with <c>ETag: "&lt;git blob sha1&gt;"</c>. The first value seen wins: the CDN's own
/// headers describe its storage, not the file.
/// </summary>
internal sealed class RemoteFileInfo
{
    /// <summary>The SHA-256 of the content (lowercase hex), when the hub reported one.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>The git blob SHA-1 of the content (lowercase hex), when the hub's ETag is one.</summary>
    public string? GitBlobSha1 { get; private set; }

    /// <summary>The size from <c>X-Linked-Size</c>.</summary>
    public long? LinkedSize { get; private set; }

    /// <summary>Takes what a response of the chain says; <paramref name="fromHub"/> is false for hosts other than the endpoint's.</summary>
    public void Collect(HttpResponseMessage response, bool fromHub)
    {
        if (Sha256 is null && Single(response.Headers, "X-Linked-Etag") is { } linked && Hex(Unquote(linked), 64) is { } sha)
        {
            Sha256 = sha;
        }

        if (LinkedSize is null && Single(response.Headers, "X-Linked-Size") is { } size
            && long.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes))
        {
            LinkedSize = bytes;
        }

        // Weak tags are read too, as huggingface_hub does: we ask for no compression, so the bytes are the blob's.
        if (!fromHub || Single(response.Headers, "ETag") is not { } etag)
        {
            return;
        }

        var tag = Unquote(etag);
        if (Sha256 is null && Hex(tag, 64) is { } sha256)
        {
            Sha256 = sha256; // some mirrors send the LFS oid as the ETag itself
        }
        else if (GitBlobSha1 is null && Sha256 is null && Hex(tag, 40) is { } sha1)
        {
            GitBlobSha1 = sha1;
        }
    }

    private static string? Single(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Unquote(string value)
    {
        var v = value.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal))
        {
            v = v[2..];
        }

        return v.Trim('"');
    }

    private static string? Hex(string value, int length) =>
        value.Length == length && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : null;
}
