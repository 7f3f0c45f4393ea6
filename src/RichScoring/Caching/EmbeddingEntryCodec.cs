using System.Buffers.Binary;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;

namespace RichScoring;

/// <summary>
/// The binary form of a cached embedding, shared by the directory and distributed tiers. All integers little-endian:
/// <code>
/// offset size
///  0     4    magic "RSEV"
///  4     1    format version (1)
///  5     1    element type: 1 = float32, 2 = float16 (<see cref="EmbeddingPrecision"/>)
///  6     1    kind: 1 = text, 2 = image (<see cref="EmbeddingKind"/>)
///  7     1    flags: bit 0 = the vector had unit L2 norm when stored
///  8     4    dimension d (uint32)
/// 12     2    model id length n (uint16)
/// 14     n    model id, UTF-8
/// 14+n   d·s  the values (s = 4 or 2 bytes)
/// end−4  4    checksum of every byte before it
/// </code>
/// A 512-d float32 entry of a 30-character model id is 2,096 bytes (1,072 as float16). Anything that does not match exactly (magic,
/// version, type, kind, model, length, checksum, finite values) is rejected with a reason, never half-read.
/// </summary>
internal static class EmbeddingEntryCodec
{
    public const byte FormatVersion = 1;
    public const int HeaderSize = 14;
    public const int TrailerSize = 4;
    public const int MaxDimension = 1 << 20;
    private const byte UnitNormFlag = 1;
    private const uint Magic = 'R' | ('S' << 8) | ('E' << 16) | ('V' << 24);

    /// <summary>Serializes one embedding.</summary>
    /// <remarks>
    /// Float16 is only used when every value fits (|v| ≤ 65504); otherwise the entry is stored as float32 rather than
    /// saturating to infinity.
    /// </remarks>
    public static byte[] Encode(EmbeddingCacheKey key, ReadOnlySpan<float> vector, EmbeddingPrecision precision)
    {
        key.ThrowIfDefault();
        ArgumentOutOfRangeException.ThrowIfLessThan(vector.Length, 1, nameof(vector));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vector.Length, MaxDimension, nameof(vector));
        var modelLength = Encoding.UTF8.GetByteCount(key.ModelId);
        if (modelLength > ushort.MaxValue)
        {
            throw new ArgumentException($"The model id is {modelLength} bytes long; at most {ushort.MaxValue} fit an entry.", nameof(key));
        }

        if (precision == EmbeddingPrecision.Float16 && TensorPrimitives.MaxMagnitude(vector) > (float)Half.MaxValue)
        {
            precision = EmbeddingPrecision.Float32;
        }

        var elementSize = precision == EmbeddingPrecision.Float16 ? 2 : 4;
        var entry = new byte[HeaderSize + modelLength + (vector.Length * elementSize) + TrailerSize];
        var span = entry.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = FormatVersion;
        span[5] = (byte)precision;
        span[6] = (byte)key.Kind;
        var squaredNorm = TensorPrimitives.SumOfSquares(vector);
        span[7] = MathF.Abs(squaredNorm - 1f) <= 1e-4f ? UnitNormFlag : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)vector.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], (ushort)modelLength);
        Encoding.UTF8.GetBytes(key.ModelId, span.Slice(HeaderSize, modelLength));
        var values = span[(HeaderSize + modelLength)..^TrailerSize];
        if (precision == EmbeddingPrecision.Float16)
        {
            WriteHalves(vector, values);
        }
        else
        {
            WriteSingles(vector, values);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[^TrailerSize..], Checksum(span[..^TrailerSize]));
        return entry;
    }

    /// <summary>Reads one embedding, checking everything the header promises against <paramref name="key"/>.</summary>
    /// <param name="entry">The stored bytes.</param>
    /// <param name="key">The key the entry was looked up with.</param>
    /// <param name="vector">The embedding when valid.</param>
    /// <param name="reason">Why the entry was rejected, when it was.</param>
    public static bool TryDecode(ReadOnlySpan<byte> entry, EmbeddingCacheKey key, out float[] vector, out string reason)
    {
        vector = [];
        if (entry.Length < HeaderSize + TrailerSize || BinaryPrimitives.ReadUInt32LittleEndian(entry) != Magic)
        {
            reason = entry.Length < HeaderSize + TrailerSize ? $"truncated ({entry.Length} bytes)" : "not an embedding entry (bad magic)";
            return false;
        }

        if (entry[4] != FormatVersion)
        {
            reason = $"format version {entry[4]} (this build reads {FormatVersion})";
            return false;
        }

        var elementSize = entry[5] switch { (byte)EmbeddingPrecision.Float32 => 4, (byte)EmbeddingPrecision.Float16 => 2, _ => 0 };
        if (elementSize == 0)
        {
            reason = $"unknown element type {entry[5]}";
            return false;
        }

        if (entry[6] != (byte)key.Kind)
        {
            reason = $"kind {entry[6]} where {(byte)key.Kind} was expected";
            return false;
        }

        var dimension = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
        var modelLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[12..]);
        if (dimension is 0 or > MaxDimension || entry.Length != HeaderSize + modelLength + ((long)dimension * elementSize) + TrailerSize)
        {
            reason = $"{entry.Length} bytes do not hold {dimension} values of {elementSize} bytes (truncated or wrong-sized)";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(entry[^TrailerSize..]) != Checksum(entry[..^TrailerSize]))
        {
            reason = "checksum mismatch (corrupt entry)";
            return false;
        }

        if (!ModelIdEquals(entry.Slice(HeaderSize, modelLength), key.ModelId))
        {
            reason = "stored for another model";
            return false;
        }

        var values = entry[(HeaderSize + modelLength)..^TrailerSize];
        var result = new float[dimension];
        if (elementSize == 2)
        {
            ReadHalves(values, result);
            if ((entry[7] & UnitNormFlag) != 0)
            {
                // Rounding to float16 moves the norm by up to ~5e-4: restore the unit norm the encoder produced.
                var norm = TensorPrimitives.Norm(result);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(result, norm, result);
                }
            }
        }
        else
        {
            ReadSingles(values, result);
        }

        if (!float.IsFinite(TensorPrimitives.SumOfSquares(result)))
        {
            reason = "holds a non-finite value";
            return false;
        }

        vector = result;
        reason = "";
        return true;
    }

    /// <summary>
    /// A 32-bit checksum over the entry: four independent multiply–rotate lanes over 8-byte words, then a final
    /// mix. It catches truncation and flipped bits; it is not a defence against deliberate tampering.
    /// </summary>
    internal static uint Checksum(ReadOnlySpan<byte> data)
    {
        const ulong p1 = 0x9E3779B185EBCA87UL;
        const ulong p2 = 0xC2B2AE3D27D4EB4FUL;
        ulong a = p1, b = p2, c = p1 ^ p2, d = ~p1;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = Round(a, Word(words[i]));
            b = Round(b, Word(words[i + 1]));
            c = Round(c, Word(words[i + 2]));
            d = Round(d, Word(words[i + 3]));
        }

        for (; i < words.Length; i++)
        {
            a = Round(a, Word(words[i]));
        }

        foreach (var tail in data[(words.Length * 8)..])
        {
            b = Round(b, tail);
        }

        var h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7) + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(d, 18);
        h ^= (ulong)data.Length;
        h ^= h >> 33;
        h *= p2;
        h ^= h >> 29;
        h *= p1;
        h ^= h >> 32;
        return (uint)h;

        static ulong Round(ulong acc, ulong value) => BitOperations.RotateLeft(acc + (value * p2), 31) * p1;

        static ulong Word(ulong raw) => BitConverter.IsLittleEndian ? raw : BinaryPrimitives.ReverseEndianness(raw);
    }

    private static bool ModelIdEquals(ReadOnlySpan<byte> stored, string modelId)
    {
        Span<byte> buffer = stackalloc byte[256];
        var expected = Encoding.UTF8.GetMaxByteCount(modelId.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(modelId, buffer)]
            : Encoding.UTF8.GetBytes(modelId);
        return stored.SequenceEqual(expected);
    }

    private static void WriteSingles(ReadOnlySpan<float> vector, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(destination);
            return;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], vector[i]);
        }
    }

    private static void ReadSingles(ReadOnlySpan<byte> source, Span<float> vector)
    {
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(vector));
            return;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
        }
    }

    private static void WriteHalves(ReadOnlySpan<float> vector, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            TensorPrimitives.ConvertToHalf(vector, MemoryMarshal.Cast<byte, Half>(destination));
            return;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(destination[(i * 2)..], (Half)vector[i]);
        }
    }

    private static void ReadHalves(ReadOnlySpan<byte> source, Span<float> vector)
    {
        if (BitConverter.IsLittleEndian)
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), vector);
            return;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
        }
    }
}
