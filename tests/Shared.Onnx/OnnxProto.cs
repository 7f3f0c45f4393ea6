using Google.Protobuf;

namespace RichScoring.Testing.Onnx;

/// <summary>
/// Writes ONNX protobuf messages by field number (onnx.proto, IR version 8) with Google.Protobuf's wire-format
/// primitives, so the tests can generate real models without a code generator or a committed binary.
/// </summary>
internal static class OnnxProto
{
    // TensorProto.DataType
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Float16 = 10;

    public static byte[] Message(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        var output = new CodedOutputStream(ms);
        write(output);
        output.Flush();
        return ms.ToArray();
    }

    public static void WriteMessage(this CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    public static void WriteString(this CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void WriteInt64(this CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    public static void WriteFloat(this CodedOutputStream output, int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
    }

    /// <summary>TensorProto with raw little-endian data.</summary>
    public static byte[] Tensor(string name, int dataType, long[] dims, ReadOnlySpan<byte> raw)
    {
        var rawCopy = raw.ToArray();
        return Message(o =>
        {
            foreach (var d in dims)
            {
                o.WriteInt64(1, d);
            }

            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt32(dataType);
            o.WriteString(8, name);
            o.WriteTag(9, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(rawCopy));
        });
    }

    /// <summary>ValueInfoProto of a tensor; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public static byte[] ValueInfo(string name, int elemType, object[] shape)
    {
        var shapeProto = Message(o =>
        {
            foreach (var d in shape)
            {
                o.WriteMessage(1, Message(dim =>
                {
                    if (d is string symbol)
                    {
                        dim.WriteString(2, symbol);
                    }
                    else
                    {
                        dim.WriteInt64(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }));
            }
        });
        var tensorType = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt32(elemType);
            o.WriteMessage(2, shapeProto);
        });
        var type = Message(o => o.WriteMessage(1, tensorType));
        return Message(o =>
        {
            o.WriteString(1, name);
            o.WriteMessage(2, type);
        });
    }

    public static byte[] IntAttribute(string name, long value) => Message(o =>
    {
        o.WriteString(1, name);
        o.WriteInt64(3, value);
        o.WriteInt64(20, 2); // INT
    });

    public static byte[] FloatAttribute(string name, float value) => Message(o =>
    {
        o.WriteString(1, name);
        o.WriteFloat(2, value);
        o.WriteInt64(20, 1); // FLOAT
    });

    public static byte[] IntsAttribute(string name, long[] values) => Message(o =>
    {
        o.WriteString(1, name);
        foreach (var v in values)
        {
            o.WriteInt64(8, v);
        }

        o.WriteInt64(20, 7); // INTS
    });
}
