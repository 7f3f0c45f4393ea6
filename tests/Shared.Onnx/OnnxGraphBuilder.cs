using System.Runtime.InteropServices;

namespace RichScoring.Testing.Onnx;

/// <summary>A small builder for ONNX graphs: inputs, outputs, initializers and nodes, serialized to a ModelProto.</summary>
internal sealed class OnnxGraphBuilder(string name)
{
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly Dictionary<string, string> _metadata = [];
    private int _counter;

    public int Opset { get; set; } = 17;

    public OnnxGraphBuilder Input(string inputName, int elemType, params object[] shape)
    {
        _inputs.Add(OnnxProto.ValueInfo(inputName, elemType, shape));
        return this;
    }

    public OnnxGraphBuilder Output(string outputName, int elemType, params object[] shape)
    {
        _outputs.Add(OnnxProto.ValueInfo(outputName, elemType, shape));
        return this;
    }

    public OnnxGraphBuilder Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public string Floats(float[] values, params long[] dims)
    {
        var n = Fresh("w");
        _initializers.Add(OnnxProto.Tensor(n, OnnxProto.Float, dims, MemoryMarshal.AsBytes(values.AsSpan())));
        return n;
    }

    public string Int64s(long[] values, params long[] dims)
    {
        var n = Fresh("c");
        _initializers.Add(OnnxProto.Tensor(n, OnnxProto.Int64, dims, MemoryMarshal.AsBytes(values.AsSpan())));
        return n;
    }

    /// <summary>Adds a node with one output and returns the output's name (or <paramref name="output"/> when given).</summary>
    public string Node(string opType, string[] inputs, string? output = null, params byte[][] attributes)
    {
        output ??= Fresh(opType.ToLowerInvariant());
        var nodeName = Fresh("n");
        _nodes.Add(OnnxProto.Message(o =>
        {
            foreach (var i in inputs)
            {
                o.WriteString(1, i);
            }

            o.WriteString(2, output);
            o.WriteString(3, nodeName);
            o.WriteString(4, opType);
            foreach (var a in attributes)
            {
                o.WriteMessage(5, a);
            }
        }));
        return output;
    }

    public byte[] ToBytes()
    {
        var graph = OnnxProto.Message(o =>
        {
            foreach (var n in _nodes)
            {
                o.WriteMessage(1, n);
            }

            o.WriteString(2, name);
            foreach (var t in _initializers)
            {
                o.WriteMessage(5, t);
            }

            foreach (var i in _inputs)
            {
                o.WriteMessage(11, i);
            }

            foreach (var x in _outputs)
            {
                o.WriteMessage(12, x);
            }
        });

        return OnnxProto.Message(o =>
        {
            o.WriteInt64(1, 8); // ir_version
            o.WriteString(2, "richscoring-tests");
            o.WriteMessage(7, graph);
            o.WriteMessage(8, OnnxProto.Message(op =>
            {
                op.WriteString(1, "");
                op.WriteInt64(2, Opset);
            }));
            foreach (var (key, value) in _metadata)
            {
                o.WriteMessage(14, OnnxProto.Message(kv =>
                {
                    kv.WriteString(1, key);
                    kv.WriteString(2, value);
                }));
            }
        });
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, ToBytes());
    }

    private string Fresh(string prefix) => $"{prefix}_{_counter++}";
}
