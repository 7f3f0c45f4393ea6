using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RichScoring.Cli.Commands;

/// <summary>
/// Writes a float32 array as a NumPy <c>.npy</c> file, format version 1.0: the magic <c>\x93NUMPY</c>, the version,
/// a little-endian header length, then a Python dict literal padded with spaces and a newline so the data starts on a
/// multiple of 64 bytes, then the values little-endian in C order. The header is the one numpy.save writes.
/// </summary>
internal static class NpyWriter
{
    private const int Alignment = 64;
    private const int GrowthAxisMaxDigits = 21;
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static void WriteFloat32(Stream stream, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long count = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"The shape holds {count} values but there are {data.Length}.", nameof(data));
        }

        stream.Write(Header(shape));
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }

        var buffer = new byte[4];
        foreach (var value in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }

    /// <summary>The complete header (magic, version, length, padded dict); its length is a multiple of 64.</summary>
    public static byte[] Header(ReadOnlySpan<int> shape)
    {
        var dims = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        // Python's tuple repr: a 1-d shape needs its trailing comma.
        var tuple = shape.Length == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}";
        // As numpy.save does, byte for byte: room for the first axis to grow to 21 digits, then 1 to 64 spaces and a
        // newline so that magic + version + length + header is a multiple of 64.
        var growth = shape.Length > 0 ? Math.Max(0, GrowthAxisMaxDigits - dims[0].Length) : 0;
        var body = dict + new string(' ', growth);
        var padding = Alignment - ((Magic.Length + 2 + body.Length + 1) % Alignment);
        var text = body + new string(' ', padding) + "\n";
        var header = new byte[Magic.Length + 2 + text.Length];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(Magic.Length), checked((ushort)text.Length));
        Encoding.ASCII.GetBytes(text, header.AsSpan(Magic.Length + 2));
        return header;
    }
}
