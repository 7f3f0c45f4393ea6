using System.Buffers.Binary;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// ImageSharp 2.1 refuses animated WebP outright. This rewrites an animated WebP into a still one holding its first
/// frame (the ANMF chunk's ALPH/VP8/VP8L data under a fresh VP8X header), which the decoder reads. The frame is taken
/// as it is stored: a first frame smaller than the canvas is not placed on it.
/// </summary>
internal static class WebpFirstFrame
{
    private const byte AnimationFlag = 0x02;
    private const byte AlphaFlag = 0x10;

    /// <summary>Whether <paramref name="webp"/> (a RIFF/WEBP file) is an animated one.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> webp) =>
        webp.Length >= 21 && webp.Slice(12, 4).SequenceEqual("VP8X"u8) && (webp[20] & AnimationFlag) != 0;

    /// <summary>The first frame as a still WebP, or null when there is no readable frame.</summary>
    public static byte[]? Extract(ReadOnlySpan<byte> webp)
    {
        var pos = 12;
        while (pos + 8 <= webp.Length)
        {
            var type = webp.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[(pos + 4)..]);
            var payload = pos + 8;
            if (size > int.MaxValue || payload + (long)size > webp.Length)
            {
                return null;
            }

            if (type.SequenceEqual("ANMF"u8))
            {
                return size < 16 ? null : Still(webp.Slice(payload, (int)size));
            }

            pos = payload + (int)size + (int)(size & 1);
        }

        return null;
    }

    private static byte[] Still(ReadOnlySpan<byte> frame)
    {
        // ANMF payload: X/2, Y/2, width − 1, height − 1, duration (24-bit little-endian each), flags, then the frame's chunks.
        var widthMinusOne = Read24(frame[6..]);
        var heightMinusOne = Read24(frame[9..]);
        var chunks = frame[16..];
        var hasAlpha = Contains(chunks, "ALPH"u8) || Contains(chunks, "VP8L"u8);

        var still = new byte[12 + 18 + chunks.Length];
        "RIFF"u8.CopyTo(still);
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(4), (uint)(still.Length - 8));
        "WEBP"u8.CopyTo(still.AsSpan(8));
        "VP8X"u8.CopyTo(still.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(16), 10);
        still[20] = hasAlpha ? AlphaFlag : (byte)0;
        Write24(still.AsSpan(24), widthMinusOne);
        Write24(still.AsSpan(27), heightMinusOne);
        chunks.CopyTo(still.AsSpan(30));
        return still;
    }

    private static bool Contains(ReadOnlySpan<byte> chunks, ReadOnlySpan<byte> fourCc)
    {
        var pos = 0;
        while (pos + 8 <= chunks.Length)
        {
            if (chunks.Slice(pos, 4).SequenceEqual(fourCc))
            {
                return true;
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunks[(pos + 4)..]);
            if (size > int.MaxValue - 16)
            {
                return false;
            }

            pos += 8 + (int)size + (int)(size & 1);
        }

        return false;
    }

    private static int Read24(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);

    private static void Write24(Span<byte> b, int value)
    {
        b[0] = (byte)value;
        b[1] = (byte)(value >> 8);
        b[2] = (byte)(value >> 16);
    }
}
