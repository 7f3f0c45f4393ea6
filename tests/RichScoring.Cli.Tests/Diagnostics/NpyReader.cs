using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace RichScoring.Cli.Tests.Diagnostics;

/// <summary>A minimal reader of NumPy .npy version 1.0 float32 files, strict about the format's rules.</summary>
internal static partial class NpyReader
{
    public static (int[] Shape, float[] Data, string Header) ReadFloat32(byte[] file)
    {
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'], file[..6]);
        Assert.Equal(1, file[6]); // major version
        Assert.Equal(0, file[7]); // minor version
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        var dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64); // data aligned on 64 bytes
        var header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);

        var match = HeaderPattern().Match(header);
        Assert.True(match.Success, $"unexpected header: {header}");
        Assert.Equal("<f4", match.Groups["descr"].Value);
        Assert.Equal("False", match.Groups["fortran"].Value);
        int[] shape = [.. match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];

        var count = shape.Aggregate(1, (a, b) => a * b);
        Assert.Equal(count * 4, file.Length - dataStart);
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + (i * 4)));
        }

        return (shape, data, header);
    }

    [GeneratedRegex(@"^\{'descr': '(?<descr>[^']+)', 'fortran_order': (?<fortran>True|False), 'shape': \((?<shape>[0-9, ]*)\), \} *\n$")]
    private static partial Regex HeaderPattern();
}
