using System.Buffers.Binary;
using System.Text;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// Reads the parts of a SentencePiece <c>ModelProto</c> (<c>spiece.model</c>) that the SigLIP tokenizer checks, and
/// makes the two edits it needs, by appending fields: protobuf merges a repeated message field into the first and
/// lets the last value of a scalar win, so the original bytes stay untouched.
/// <list type="bullet">
/// <item>Microsoft.ML.Tokenizers 2.0.1 throws <see cref="IndexOutOfRangeException"/> on a model without a
/// beginning-of-sentence piece (<c>bos_id = -1</c>, as T5 and SigLIP models have); it gets the end piece as a
/// stand-in, which is never emitted because the tokenizer adds no BOS.</item>
/// <item><c>normalizer_spec.add_dummy_prefix = false</c>, as Hugging Face's <c>SiglipTokenizer</c> loads the model.</item>
/// </list>
/// </summary>
internal sealed class SentencePieceModel
{
    // Field numbers of sentencepiece_model.proto.
    private const int ModelPiecesField = 1;
    private const int ModelTrainerSpecField = 2;
    private const int ModelNormalizerSpecField = 3;
    private const int PiecePieceField = 1;
    private const int PieceScoreField = 2;
    private const int PieceTypeField = 3;
    private const int TrainerModelTypeField = 3;
    private const int TrainerByteFallbackField = 35;
    private const int TrainerUnkIdField = 40;
    private const int TrainerBosIdField = 41;
    private const int TrainerEosIdField = 42;
    private const int TrainerPadIdField = 43;
    private const int TrainerUnkPieceField = 45;
    private const int TrainerBosPieceField = 46;
    private const int TrainerEosPieceField = 47;
    private const int NormalizerAddDummyPrefixField = 3;

    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private SentencePieceModel(byte[] bytes)
    {
        Bytes = bytes;
    }

    /// <summary>The model's bytes, as read.</summary>
    public byte[] Bytes { get; }

    private readonly List<Piece> _pieces = [];
    private bool _hasTrainerSpec;
    private bool _hasNormalizerSpec;

    /// <summary>The vocabulary, in id order.</summary>
    public IReadOnlyList<Piece> Pieces => _pieces;

    /// <summary>How many pieces (vocabulary entries) the model has.</summary>
    public int PieceCount => _pieces.Count;

    /// <summary><c>trainer_spec.byte_fallback</c>: unknown characters become byte pieces instead of &lt;unk&gt;.</summary>
    public bool ByteFallback { get; private set; }

    /// <summary><c>trainer_spec.model_type</c>: 1 unigram, 2 BPE, 3 word, 4 char.</summary>
    public int ModelType { get; private set; } = 1;

    /// <summary><c>trainer_spec.unk_id</c>.</summary>
    public int UnknownId { get; private set; }

    /// <summary><c>trainer_spec.bos_id</c> (-1: none).</summary>
    public int BeginningOfSentenceId { get; private set; } = 1;

    /// <summary><c>trainer_spec.eos_id</c> (-1: none).</summary>
    public int EndOfSentenceId { get; private set; } = 2;

    /// <summary><c>trainer_spec.pad_id</c> (-1: none).</summary>
    public int PaddingId { get; private set; } = -1;

    /// <summary><c>trainer_spec.unk_piece</c>.</summary>
    public string UnknownPiece { get; private set; } = "<unk>";

    /// <summary><c>trainer_spec.eos_piece</c>.</summary>
    public string EndOfSentencePiece { get; private set; } = "</s>";

    /// <summary>Reads <paramref name="stream"/>; <paramref name="name"/> prefixes every error message.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model SigLIP can use.</exception>
    public static SentencePieceModel Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var model = new SentencePieceModel(buffer.ToArray());
        try
        {
            model.Parse();
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{name} is not a SentencePiece model: {ex.Message}", ex);
        }

        if (model.PieceCount == 0)
        {
            throw new InvalidDataException($"{name} is not a SentencePiece model: it holds no pieces.");
        }

        if (!model._hasTrainerSpec || !model._hasNormalizerSpec)
        {
            throw new InvalidDataException($"{name} is not a complete SentencePiece model: its trainer_spec or normalizer_spec is missing.");
        }

        if (model.ModelType is not (1 or 2))
        {
            throw new InvalidDataException($"{name}: model_type {model.ModelType} is not supported (only unigram and BPE models are).");
        }

        if ((uint)model.UnknownId >= (uint)model.PieceCount)
        {
            throw new InvalidDataException($"{name}: unk_id {model.UnknownId} is not one of its {model.PieceCount} pieces.");
        }

        if ((uint)model.EndOfSentenceId >= (uint)model.PieceCount)
        {
            throw new InvalidDataException(
                $"{name}: eos_id {model.EndOfSentenceId} is not one of its {model.PieceCount} pieces; SigLIP ends every text with it.");
        }

        return model;
    }

    /// <summary>The bytes with the edits described on the type appended.</summary>
    public byte[] PatchedForSigLip()
    {
        using var output = new MemoryStream(Bytes.Length + 32);
        output.Write(Bytes);
        if ((uint)BeginningOfSentenceId >= (uint)PieceCount)
        {
            var trainer = new MemoryStream();
            WriteVarintField(trainer, TrainerBosIdField, (ulong)EndOfSentenceId);
            WriteStringField(trainer, TrainerBosPieceField, EndOfSentencePiece);
            WriteBytesField(output, ModelTrainerSpecField, trainer.ToArray());
        }

        var normalizer = new MemoryStream();
        WriteVarintField(normalizer, NormalizerAddDummyPrefixField, 0);
        WriteBytesField(output, ModelNormalizerSpecField, normalizer.ToArray());
        return output.ToArray();
    }

    private void Parse()
    {
        var position = 0;
        var data = Bytes.AsSpan();
        while (position < data.Length)
        {
            var (field, wire) = ReadTag(data, ref position);
            if (field == ModelPiecesField && wire == WireLengthDelimited)
            {
                _pieces.Add(ParsePiece(ReadLengthDelimited(data, ref position)));
            }
            else if (field == ModelTrainerSpecField && wire == WireLengthDelimited)
            {
                ParseTrainerSpec(ReadLengthDelimited(data, ref position));
                _hasTrainerSpec = true;
            }
            else if (field == ModelNormalizerSpecField && wire == WireLengthDelimited)
            {
                _ = ReadLengthDelimited(data, ref position);
                _hasNormalizerSpec = true;
            }
            else
            {
                Skip(data, ref position, wire);
            }
        }
    }

    private void ParseTrainerSpec(ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (position < data.Length)
        {
            var (field, wire) = ReadTag(data, ref position);
            switch (field, wire)
            {
                case (TrainerModelTypeField, WireVarint):
                    ModelType = unchecked((int)ReadVarint(data, ref position));
                    break;
                case (TrainerByteFallbackField, WireVarint):
                    ByteFallback = ReadVarint(data, ref position) != 0;
                    break;
                case (TrainerUnkIdField, WireVarint):
                    UnknownId = unchecked((int)ReadVarint(data, ref position));
                    break;
                case (TrainerBosIdField, WireVarint):
                    BeginningOfSentenceId = unchecked((int)ReadVarint(data, ref position));
                    break;
                case (TrainerEosIdField, WireVarint):
                    EndOfSentenceId = unchecked((int)ReadVarint(data, ref position));
                    break;
                case (TrainerPadIdField, WireVarint):
                    PaddingId = unchecked((int)ReadVarint(data, ref position));
                    break;
                case (TrainerUnkPieceField, WireLengthDelimited):
                    UnknownPiece = ReadString(data, ref position);
                    break;
                case (TrainerEosPieceField, WireLengthDelimited):
                    EndOfSentencePiece = ReadString(data, ref position);
                    break;
                default:
                    Skip(data, ref position, wire);
                    break;
            }
        }
    }

    private static Piece ParsePiece(ReadOnlySpan<byte> data)
    {
        var position = 0;
        var text = string.Empty;
        var score = 0f;
        var type = PieceType.Normal;
        while (position < data.Length)
        {
            var (field, wire) = ReadTag(data, ref position);
            switch (field, wire)
            {
                case (PiecePieceField, WireLengthDelimited):
                    text = ReadString(data, ref position);
                    break;
                case (PieceScoreField, WireFixed32):
                    if (data.Length - position < 4)
                    {
                        throw new FormatException("the data ends inside a score");
                    }

                    score = BinaryPrimitives.ReadSingleLittleEndian(data[position..]);
                    position += 4;
                    break;
                case (PieceTypeField, WireVarint):
                    type = (PieceType)unchecked((int)ReadVarint(data, ref position));
                    break;
                default:
                    Skip(data, ref position, wire);
                    break;
            }
        }

        return new Piece(text, score, type);
    }

    private static (int Field, int Wire) ReadTag(ReadOnlySpan<byte> data, ref int position)
    {
        var at = position;
        var tag = ReadVarint(data, ref position);
        var field = tag >> 3;
        if (field is 0 or > 536_870_911)
        {
            throw new FormatException($"invalid field number at byte {at}");
        }

        return ((int)field, (int)(tag & 7));
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new FormatException("the data ends inside a number");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException($"a number longer than 10 bytes ends at byte {position}");
    }

    private static ReadOnlySpan<byte> ReadLengthDelimited(ReadOnlySpan<byte> data, ref int position)
    {
        var length = ReadVarint(data, ref position);
        if (length > (ulong)(data.Length - position))
        {
            throw new FormatException($"a field of {length} bytes at byte {position} runs past the end of the data");
        }

        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int position) => Encoding.UTF8.GetString(ReadLengthDelimited(data, ref position));

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int wire)
    {
        var size = wire switch
        {
            WireVarint => 0,
            WireFixed64 => 8,
            WireLengthDelimited => -1,
            WireFixed32 => 4,
            _ => throw new FormatException($"unsupported wire type {wire} before byte {position}"),
        };

        if (size == 0)
        {
            _ = ReadVarint(data, ref position);
        }
        else if (size < 0)
        {
            _ = ReadLengthDelimited(data, ref position);
        }
        else if (size > data.Length - position)
        {
            throw new FormatException("the data ends inside a field");
        }
        else
        {
            position += size;
        }
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    private static void WriteVarintField(Stream output, int field, ulong value)
    {
        WriteVarint(output, (ulong)field << 3 | WireVarint);
        WriteVarint(output, value);
    }

    private static void WriteBytesField(Stream output, int field, byte[] value)
    {
        WriteVarint(output, (ulong)field << 3 | WireLengthDelimited);
        WriteVarint(output, (ulong)value.Length);
        output.Write(value);
    }

    private static void WriteStringField(Stream output, int field, string value) => WriteBytesField(output, field, Encoding.UTF8.GetBytes(value));
}
