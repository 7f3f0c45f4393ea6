using System.Text;

namespace RichScoring;

/// <summary>
/// Recognises a payload from its first bytes, so that an HTML error page or a JSON body served instead of an image is
/// reported as what it is rather than as a broken image.
/// </summary>
/// <remarks>
/// Shared source: compiled into RichScoring and linked into RichScoring.Onnx (the decoder) and RichScoring.Http (the
/// fetcher), so that no package depends on another's internals.
/// </remarks>
internal static class ContentSniffer
{
    private const int TextProbeLength = 512;

    /// <summary>Classifies <paramref name="data"/> by its leading bytes.</summary>
    public static SniffResult Sniff(ReadOnlySpan<byte> data)
    {
        if (Starts(data, [0xFF, 0xD8, 0xFF]))
        {
            return new(SniffKind.Image, "JPEG");
        }

        if (Starts(data, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new(SniffKind.Image, "PNG");
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return new(SniffKind.Image, "GIF");
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return new(SniffKind.Image, "WebP");
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return new(SniffKind.Image, "TIFF");
        }

        if (data.StartsWith("BM"u8) && data.Length >= 18 && BitConverter.ToUInt32(data[14..18]) is 12 or 40 or 52 or 56 or 64 or 108 or 124)
        {
            return new(SniffKind.Image, "BMP");
        }

        if (data.Length >= 3 && data[0] == 'P' && data[1] >= '1' && data[1] <= '6' && IsAsciiWhitespace(data[2]))
        {
            return new(SniffKind.Image, "PBM");
        }

        var unsupported = SniffUnsupportedImage(data);
        if (unsupported is not null)
        {
            return new(SniffKind.UnsupportedImage, unsupported);
        }

        var other = SniffNonImage(data);
        if (other == "XML document" && TextHead(data).Contains("<svg", StringComparison.Ordinal))
        {
            other = "SVG";
        }

        return other switch
        {
            null => new(SniffKind.Unknown, "unrecognised data"),
            "SVG" => new(SniffKind.UnsupportedImage, other),
            _ => new(SniffKind.NotAnImage, other),
        };
    }

    private static string? SniffUnsupportedImage(ReadOnlySpan<byte> data)
    {
        // ISO base media (HEIF family, MP4): a box size, then "ftyp" and a major brand.
        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(data.Slice(8, 4));
            return brand switch
            {
                "avif" or "avis" => "AVIF",
                "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" => "HEIC/HEIF",
                _ => null,
            };
        }

        if (Starts(data, [0x00, 0x00, 0x01, 0x00]) && data.Length >= 6 && data[4] != 0)
        {
            return "ICO";
        }

        if (Starts(data, [0xFF, 0x0A]) || Starts(data, [0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]))
        {
            return "JPEG XL";
        }

        if (Starts(data, [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) || Starts(data, [0xFF, 0x4F, 0xFF, 0x51]))
        {
            return "JPEG 2000";
        }

        if (data.StartsWith("8BPS"u8))
        {
            return "PSD";
        }

        return null;
    }

    private static string? SniffNonImage(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("%PDF"u8))
        {
            return "PDF document";
        }

        if (data.StartsWith("PK\x03\x04"u8))
        {
            return "ZIP archive";
        }

        if (Starts(data, [0x1F, 0x8B]))
        {
            return "gzip data";
        }

        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return "video (MP4/QuickTime)";
        }

        var head = TextHead(data);
        if (head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.StartsWith("<html", StringComparison.Ordinal) ||
            head.StartsWith("<head", StringComparison.Ordinal) || head.StartsWith("<body", StringComparison.Ordinal) ||
            (head.StartsWith('<') && (head.Contains("<html", StringComparison.Ordinal) || head.Contains("<body", StringComparison.Ordinal) ||
                                      head.Contains("<script", StringComparison.Ordinal) || head.Contains("<div", StringComparison.Ordinal))))
        {
            return "HTML document";
        }

        if (head.StartsWith("<?xml", StringComparison.Ordinal))
        {
            return "XML document";
        }

        if (head.StartsWith("<svg", StringComparison.Ordinal))
        {
            return "SVG";
        }

        if (head.StartsWith('{') || head.StartsWith('['))
        {
            return "JSON";
        }

        return LooksLikeText(data) ? "text" : null;
    }

    /// <summary>The first bytes as lower-case ASCII, a byte-order mark and leading white space removed.</summary>
    private static string TextHead(ReadOnlySpan<byte> data)
    {
        if (Starts(data, [0xEF, 0xBB, 0xBF]))
        {
            data = data[3..];
        }

        var probe = data[..Math.Min(data.Length, 1024)];
        var start = 0;
        while (start < probe.Length && IsAsciiWhitespace(probe[start]))
        {
            start++;
        }

        if (start == probe.Length || probe[start] >= 0x80 || probe[start] < 0x20)
        {
            return string.Empty;
        }

        return Encoding.Latin1.GetString(probe[start..]).ToLowerInvariant();
    }

    /// <summary>Whether the first bytes are printable text (ASCII or well-formed UTF-8, tabs and line breaks allowed).</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> data)
    {
        var probe = data[..Math.Min(data.Length, TextProbeLength)];
        if (Starts(probe, [0xEF, 0xBB, 0xBF]))
        {
            probe = probe[3..];
        }

        foreach (var b in probe)
        {
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f')
            {
                return false;
            }

            if (b == 0x7F)
            {
                return false;
            }
        }

        // A UTF-8 sequence cut at the probe's end is still text.
        Span<char> chars = stackalloc char[TextProbeLength];
        var status = System.Text.Unicode.Utf8.ToUtf16(probe, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: false);
        return status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData;
    }

    private static bool Starts(ReadOnlySpan<byte> data, ReadOnlySpan<byte> magic) => data.StartsWith(magic);

    private static bool IsAsciiWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f';
}
