using System.Security.Cryptography;
using System.Text;

namespace RichScoring.Cli.Tests.Models;

/// <summary>A file the loopback hub serves, and how it misbehaves.</summary>
internal sealed class HubFile(byte[] content, bool lfs)
{
    public byte[] Content { get; } = content;

    /// <summary>LFS files are answered with a redirect to the "CDN" carrying X-Linked-Etag and X-Linked-Size.</summary>
    public bool Lfs { get; } = lfs;

    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The id git gives the blob: SHA-1 of "blob {size}\0" + content (the hub's ETag for small files).</summary>
#pragma warning disable CA5350 // git's blob id is SHA-1 by definition; it checks integrity, not authenticity
    public string GitBlobSha1 { get; } =
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350

    /// <summary>The next this-many body transfers stop after <see cref="CutAfter"/> bytes and drop the connection.</summary>
    public int CutsLeft { get; set; }

    public int CutAfter { get; set; }

    /// <summary>Body transfers send <see cref="StallAfter"/> bytes, then wait until <see cref="Release"/> is set.</summary>
    public int? StallAfter { get; set; }

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Serve other bytes than the headers describe (one byte flipped in the middle).</summary>
    public bool Corrupt { get; set; }

    public byte[] Served()
    {
        if (!Corrupt)
        {
            return Content;
        }

        var bad = (byte[])Content.Clone();
        bad[bad.Length / 2] ^= 0x5A;
        return bad;
    }
}
