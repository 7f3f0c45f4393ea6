using System.Buffers.Binary;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// Cheap structural checks that catch truncated files the decoders would silently accept (ImageSharp fills a cut
/// JPEG with grey instead of failing, where PIL reports "image file is truncated").
/// </summary>
internal static class ImageStructure
{
    /// <summary>A user-readable problem with the structure of <paramref name="data"/>, or null when it is whole.</summary>
    public static string? FindProblem(string format, ReadOnlySpan<byte> data) => format switch
    {
        "JPEG" => CheckJpeg(data),
        "PNG" => CheckPng(data),
        "WebP" => CheckWebp(data),
        _ => null,
    };

    /// <summary>Walks the marker segments and entropy-coded scans up to the end-of-image marker.</summary>
    private static string? CheckJpeg(ReadOnlySpan<byte> data)
    {
        var pos = 2; // after SOI
        var sawScan = false;
        while (true)
        {
            // Markers may be preceded by fill bytes (0xFF); libjpeg also skips stray bytes before a marker.
            var next = data[pos..].IndexOf((byte)0xFF);
            if (next < 0)
            {
                return Truncated("JPEG", data.Length, sawScan);
            }

            pos += next;
            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                return Truncated("JPEG", data.Length, sawScan);
            }

            var marker = data[pos++];
            if (marker == 0xD9)
            {
                return null; // EOI
            }

            if (marker == 0x00 || marker == 0x01 || marker is >= 0xD0 and <= 0xD8)
            {
                continue; // stand-alone markers (and a stray stuffed zero)
            }

            if (pos + 2 > data.Length)
            {
                return Truncated("JPEG", data.Length, sawScan);
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
            {
                return $"corrupt JPEG: marker segment 0x{marker:X2} has length {length}";
            }

            if (pos + length > data.Length)
            {
                return Truncated("JPEG", data.Length, sawScan);
            }

            pos += length;
            if (marker != 0xDA)
            {
                continue;
            }

            // Entropy-coded data follows a scan header: it ends at the first 0xFF that is not a stuffed 0x00 or a restart marker.
            sawScan = true;
            while (true)
            {
                var ff = data[pos..].IndexOf((byte)0xFF);
                if (ff < 0 || pos + ff + 1 >= data.Length)
                {
                    return Truncated("JPEG", data.Length, sawScan);
                }

                pos += ff + 1;
                var b = data[pos];
                if (b == 0x00 || b is >= 0xD0 and <= 0xD7 || b == 0xFF)
                {
                    continue;
                }

                pos--; // back on the 0xFF of the next marker
                break;
            }
        }
    }

    private static string Truncated(string format, int length, bool sawScan) =>
        sawScan
            ? $"truncated {format}: the image data ends after {length:N0} bytes without an end-of-image marker"
            : $"truncated {format}: the file ends after {length:N0} bytes, before any image data";

    /// <summary>Walks the chunks up to IEND.</summary>
    private static string? CheckPng(ReadOnlySpan<byte> data)
    {
        var pos = 8;
        var sawData = false;
        while (true)
        {
            if (pos + 8 > data.Length)
            {
                return Truncated("PNG", data.Length, sawData);
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            if (length > int.MaxValue || pos + 12L + length > data.Length)
            {
                return Truncated("PNG", data.Length, sawData);
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }

            sawData |= type.SequenceEqual("IDAT"u8);
            pos += 12 + (int)length;
        }
    }

    /// <summary>Compares the RIFF container's declared size with the bytes present.</summary>
    private static string? CheckWebp(ReadOnlySpan<byte> data)
    {
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L;
        return declared > data.Length
            ? $"truncated WebP: {data.Length:N0} of {declared:N0} bytes present"
            : null;
    }
}
