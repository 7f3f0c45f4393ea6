using System.Buffers.Binary;

namespace RichScoring.Tests.Caching;

public class EmbeddingEntryCodecTests
{
    private const string Model = "openai/clip-vit-base-patch32";

    private static EmbeddingCacheKey ImageKey(int seed = 1) => EmbeddingCacheKey.ForImage(Model, [(byte)seed, 2, 3]);

    /// <summary>A unit-norm vector with values of mixed sign and magnitude, like a CLIP embedding.</summary>
    internal static float[] UnitVector(int dimension, int seed)
    {
        var random = new Random(seed);
        var v = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (random.NextDouble() - 0.5) * Math.Exp(random.NextDouble() * 4 - 2);
        }

        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => (float)(x / norm))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(512)]
    [InlineData(768)]
    public void Float32_round_trips_exactly(int dimension)
    {
        var vector = UnitVector(dimension, dimension);
        var key = ImageKey();

        var entry = EmbeddingEntryCodec.Encode(key, vector, EmbeddingPrecision.Float32);

        Assert.Equal(EmbeddingEntryCodec.HeaderSize + Model.Length + (4 * dimension) + EmbeddingEntryCodec.TrailerSize, entry.Length);
        Assert.True(EmbeddingEntryCodec.TryDecode(entry, key, out var decoded, out var reason), reason);
        Assert.Equal(vector, decoded); // bit for bit
    }

    [Fact]
    public void The_header_is_laid_out_as_documented()
    {
        var key = EmbeddingCacheKey.ForText(Model, "a photo of a duck");
        float[] vector = [0.6f, -0.8f];

        var entry = EmbeddingEntryCodec.Encode(key, vector, EmbeddingPrecision.Float32);

        Assert.Equal("RSEV"u8.ToArray(), entry[..4]);
        Assert.Equal(1, entry[4]); // version
        Assert.Equal(1, entry[5]); // float32
        Assert.Equal(1, entry[6]); // text
        Assert.Equal(1, entry[7]); // unit norm
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(8)));
        Assert.Equal(Model.Length, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(12)));
        Assert.Equal(Model, System.Text.Encoding.UTF8.GetString(entry, 14, Model.Length));
        Assert.Equal(0.6f, BinaryPrimitives.ReadSingleLittleEndian(entry.AsSpan(14 + Model.Length)));
        Assert.Equal(-0.8f, BinaryPrimitives.ReadSingleLittleEndian(entry.AsSpan(18 + Model.Length)));
        Assert.Equal(EmbeddingEntryCodec.Checksum(entry.AsSpan(0, entry.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(entry.Length - 4)));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(512)]
    [InlineData(1024)]
    public void Float16_halves_the_payload_and_stays_within_its_stated_precision(int dimension)
    {
        var vector = UnitVector(dimension, dimension + 1);
        var key = ImageKey();

        var entry = EmbeddingEntryCodec.Encode(key, vector, EmbeddingPrecision.Float16);

        Assert.Equal(EmbeddingEntryCodec.HeaderSize + Model.Length + (2 * dimension) + EmbeddingEntryCodec.TrailerSize, entry.Length);
        Assert.True(EmbeddingEntryCodec.TryDecode(entry, key, out var decoded, out var reason), reason);

        // Reference: round each value to the nearest half, then rescale the vector to unit norm, in double precision.
        var rounded = vector.Select(x => (double)(float)(Half)x).ToArray();
        var norm = Math.Sqrt(rounded.Sum(x => x * x));
        double dot = 0;
        for (var i = 0; i < dimension; i++)
        {
            Assert.Equal(rounded[i] / norm, decoded[i], 1e-6);
            Assert.True(Math.Abs(decoded[i] - vector[i]) <= (1e-3 * Math.Abs(vector[i])) + 1e-7, $"value {i}: {vector[i]} came back as {decoded[i]}");
            dot += (double)decoded[i] * vector[i];
        }

        Assert.True(dot > 1 - 1e-6, $"cosine to the original {dot}"); // the documented ~1e-3 is per value; the cosine barely moves
    }

    [Fact]
    public void Float16_falls_back_to_float32_for_values_it_cannot_hold()
    {
        float[] vector = [1e6f, -3f, 0.5f];
        var key = ImageKey();

        var entry = EmbeddingEntryCodec.Encode(key, vector, EmbeddingPrecision.Float16);

        Assert.Equal((byte)EmbeddingPrecision.Float32, entry[5]);
        Assert.True(EmbeddingEntryCodec.TryDecode(entry, key, out var decoded, out _));
        Assert.Equal(vector, decoded);
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        var key = ImageKey();
        var entry = EmbeddingEntryCodec.Encode(key, UnitVector(16, 3), EmbeddingPrecision.Float32);

        for (var length = 0; length < entry.Length; length++)
        {
            Assert.False(EmbeddingEntryCodec.TryDecode(entry.AsSpan(0, length), key, out _, out var reason), $"a {length}-byte prefix was accepted");
            Assert.NotEmpty(reason);
        }

        Assert.False(EmbeddingEntryCodec.TryDecode([.. entry, 0], key, out _, out _)); // one byte too many
    }

    [Fact]
    public void Every_single_bit_flip_is_rejected()
    {
        var key = ImageKey();
        var entry = EmbeddingEntryCodec.Encode(key, UnitVector(8, 4), EmbeddingPrecision.Float16);

        for (var bit = 0; bit < entry.Length * 8; bit++)
        {
            var copy = entry.ToArray();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(EmbeddingEntryCodec.TryDecode(copy, key, out _, out _), $"flipping bit {bit} went unnoticed");
        }
    }

    [Fact]
    public void Wrong_version_type_kind_model_and_non_finite_values_are_rejected_with_a_reason()
    {
        var key = ImageKey();
        var entry = EmbeddingEntryCodec.Encode(key, UnitVector(4, 5), EmbeddingPrecision.Float32);

        Assert.Contains("version 2", Reject(WithChecksum(entry, e => e[4] = 2), key));
        Assert.Contains("element type 9", Reject(WithChecksum(entry, e => e[5] = 9), key));
        Assert.Contains("kind", Reject(entry, EmbeddingCacheKey.ForText(Model, "x")));
        Assert.Contains("another model", Reject(entry, EmbeddingCacheKey.ForImage("openai/clip-vit-base-patch16", [1, 2, 3])));
        Assert.Contains("bad magic", Reject(WithChecksum(entry, e => e[0] = (byte)'X'), key));
        Assert.Contains("values", Reject(WithChecksum(entry, e => e[8] = 5), key)); // a dimension the length does not hold
        Assert.Contains("checksum", Reject(WithChecksum(entry, e => e[^5] ^= 1, fix: false), key));
        Assert.Contains("non-finite", Reject(EmbeddingEntryCodec.Encode(key, [1f, float.NaN], EmbeddingPrecision.Float32), key));
    }

    [Fact]
    public void The_flags_byte_only_decides_whether_float16_values_are_renormalized()
    {
        var key = ImageKey();
        var vector = UnitVector(64, 6);
        var entry = EmbeddingEntryCodec.Encode(key, vector, EmbeddingPrecision.Float16);
        var unflagged = WithChecksum(entry, e => e[7] = 0);

        Assert.True(EmbeddingEntryCodec.TryDecode(unflagged, key, out var raw, out _));
        Assert.Equal(vector.Select(x => (float)(Half)x), raw); // exactly the rounded halves, not rescaled
    }

    [Fact]
    public void Keys_hash_the_input_and_tell_models_and_kinds_apart()
    {
        byte[] image = [1, 2, 3, 4];
        var a = EmbeddingCacheKey.ForImage(Model, image);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image)), a.Digest);
        Assert.Equal(a, EmbeddingCacheKey.ForImage(Model, image.ToArray()));
        Assert.NotEqual(a, EmbeddingCacheKey.ForImage("other", image));
        Assert.NotEqual(a, EmbeddingCacheKey.ForImage(Model, [1, 2, 3, 5]));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("duck"u8)), EmbeddingCacheKey.ForText(Model, "duck").Digest);
        Assert.NotEqual(EmbeddingCacheKey.ForText(Model, "duck"), new EmbeddingCacheKey(Model, EmbeddingKind.Image, EmbeddingCacheKey.ForText(Model, "duck").Digest));
        Assert.Equal(16, a.ModelTag.Length);
        Assert.Throws<ArgumentException>(() => EmbeddingCacheKey.ForImage(" ", image));
    }

    private static string Reject(byte[] entry, EmbeddingCacheKey key)
    {
        Assert.False(EmbeddingEntryCodec.TryDecode(entry, key, out var vector, out var reason));
        Assert.Empty(vector);
        return reason;
    }

    /// <summary>A changed copy of an entry, with its checksum recomputed so that only the change itself is judged.</summary>
    private static byte[] WithChecksum(byte[] entry, Action<byte[]> change, bool fix = true)
    {
        var copy = entry.ToArray();
        change(copy);
        if (fix)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), EmbeddingEntryCodec.Checksum(copy.AsSpan(0, copy.Length - 4)));
        }

        return copy;
    }
}
