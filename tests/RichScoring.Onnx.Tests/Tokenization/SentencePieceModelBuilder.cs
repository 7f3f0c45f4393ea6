using Google.Protobuf;

namespace RichScoring.Onnx.Tests.Tokenization;

/// <summary>
/// Writes a SentencePiece <c>ModelProto</c> field by field (sentencepiece_model.proto numbers), so tests need no
/// real <c>spiece.model</c>. The default is a small T5/SigLIP-style unigram model: &lt;pad&gt; 0, &lt;/s&gt; 1,
/// &lt;unk&gt; 2, no BOS, identity normalization.
/// </summary>
internal static class SentencePieceModelBuilder
{
    public const int Normal = 1;
    public const int Unknown = 2;
    public const int Control = 3;

    /// <summary>The pieces of <see cref="SigLipStyle"/> with their scores (log probabilities).</summary>
    public static readonly (string Piece, float Score, int Type)[] Pieces =
    [
        ("<pad>", 0, Control),   // 0
        ("</s>", 0, Control),    // 1
        ("<unk>", 0, Unknown),   // 2
        ("\u2581", -2.0f, Normal),      // 3  ▁
        ("\u2581a", -1.5f, Normal),     // 4  ▁a
        ("\u2581photo", -3.0f, Normal), // 5  ▁photo
        ("\u2581of", -2.0f, Normal),    // 6  ▁of
        ("\u2581cat", -3.0f, Normal),   // 7  ▁cat
        ("\u2581ca", -4.0f, Normal),    // 8  ▁ca
        ("t", -2.5f, Normal),           // 9
        ("c", -3.0f, Normal),           // 10
        ("a", -3.0f, Normal),           // 11
        ("o", -3.0f, Normal),           // 12
        ("p", -3.5f, Normal),           // 13
        ("h", -3.5f, Normal),           // 14
        ("f", -3.5f, Normal),           // 15
        ("at", -3.0f, Normal),          // 16
        ("\u2581c", -4.5f, Normal),     // 17 ▁c
        ("ph", -4.0f, Normal),          // 18
        ("oto", -4.0f, Normal),         // 19
        ("\u2581dog", -3.0f, Normal),   // 20 ▁dog
        ("s", -2.0f, Normal),           // 21
    ];

    /// <summary>The unigram model over <see cref="Pieces"/>: unk 2, bos -1, eos 1, pad 0.</summary>
    public static byte[] SigLipStyle(int modelType = 1, int bosId = -1, int eosId = 1, bool byteFallback = false, bool withSpecs = true)
        => Build(Pieces, modelType, bosId, eosId, byteFallback, withSpecs);

    /// <summary>A model over <paramref name="pieces"/> (unk must be id 2, pad id 0).</summary>
    public static byte[] Build(
        IReadOnlyList<(string Piece, float Score, int Type)> pieces,
        int modelType = 1,
        int bosId = -1,
        int eosId = 1,
        bool byteFallback = false,
        bool withSpecs = true)
    {
        using var output = new MemoryStream();
        var model = new CodedOutputStream(output);
        foreach (var (piece, score, type) in pieces)
        {
            model.WriteTag(1, WireFormat.WireType.LengthDelimited);
            model.WriteBytes(Message(o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited);
                o.WriteString(piece);
                o.WriteTag(2, WireFormat.WireType.Fixed32);
                o.WriteFloat(score);
                o.WriteTag(3, WireFormat.WireType.Varint);
                o.WriteEnum(type);
            }));
        }

        if (!withSpecs)
        {
            model.Flush();
            return output.ToArray();
        }

        model.WriteTag(2, WireFormat.WireType.LengthDelimited); // trainer_spec
        model.WriteBytes(Message(o =>
        {
            o.WriteTag(3, WireFormat.WireType.Varint); // model_type
            o.WriteEnum(modelType);
            o.WriteTag(4, WireFormat.WireType.Varint); // vocab_size
            o.WriteInt32(pieces.Count);
            o.WriteTag(35, WireFormat.WireType.Varint); // byte_fallback
            o.WriteBool(byteFallback);
            o.WriteTag(40, WireFormat.WireType.Varint); // unk_id
            o.WriteInt32(2);
            o.WriteTag(41, WireFormat.WireType.Varint); // bos_id
            o.WriteInt32(bosId);
            o.WriteTag(42, WireFormat.WireType.Varint); // eos_id
            o.WriteInt32(eosId);
            o.WriteTag(43, WireFormat.WireType.Varint); // pad_id
            o.WriteInt32(0);
        }));

        model.WriteTag(3, WireFormat.WireType.LengthDelimited); // normalizer_spec
        model.WriteBytes(Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); // name
            o.WriteString("identity");
            o.WriteTag(3, WireFormat.WireType.Varint); // add_dummy_prefix
            o.WriteBool(true);
            o.WriteTag(4, WireFormat.WireType.Varint); // remove_extra_whitespaces
            o.WriteBool(true);
            o.WriteTag(5, WireFormat.WireType.Varint); // escape_whitespaces
            o.WriteBool(true);
        }));

        model.Flush();
        return output.ToArray();
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
