using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace RichScoring.Onnx.Tests.Preprocessing;

/// <summary>Reads a NumPy <c>.npy</c> file of little-endian float32 in C order (format versions 1 to 3).</summary>
internal static partial class NpyReader
{
    public static (int[] Shape, float[] Data) ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
        {
            throw new InvalidDataException($"{path}: not a .npy file");
        }

        int major = bytes[6];
        int headerLength, offset;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            offset = 10;
        }
        else
        {
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
            offset = 12;
        }

        var header = Encoding.Latin1.GetString(bytes, offset, headerLength);
        var descr = DescrPattern().Match(header);
        if (!descr.Success || descr.Groups[1].Value != "<f4")
        {
            throw new InvalidDataException($"{path}: dtype is not '<f4' ({header.Trim()})");
        }

        if (FortranPattern().Match(header) is { Success: true } fortran && fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{path}: Fortran order is not supported");
        }

        var shapeText = ShapePattern().Match(header).Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var count = shape.Aggregate(1, (a, b) => a * b);
        var dataStart = offset + headerLength;
        if (bytes.Length - dataStart != count * 4)
        {
            throw new InvalidDataException($"{path}: expected {count} floats, found {(bytes.Length - dataStart) / 4}");
        }

        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + (i * 4)));
        }

        return (shape, data);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
