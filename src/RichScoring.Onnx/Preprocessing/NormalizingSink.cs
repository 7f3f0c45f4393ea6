namespace RichScoring.Onnx.Preprocessing;

/// <summary>Writes output rows straight into a CHW float tensor slice through the normalisation table.</summary>
internal readonly ref struct NormalizingSink : IRowSink
{
    private readonly Span<float> _destination;
    private readonly ReadOnlySpan<float> _table;
    private readonly int _width;
    private readonly int _plane;

    public NormalizingSink(Span<float> destination, int width, int height, ReadOnlySpan<float> table)
    {
        _destination = destination;
        _table = table;
        _width = width;
        _plane = width * height;
    }

    public void Row(int y, ReadOnlySpan<byte> rgba)
    {
        var offset = y * _width;
        var r = _destination.Slice(offset, _width);
        var g = _destination.Slice(_plane + offset, _width);
        var b = _destination.Slice((2 * _plane) + offset, _width);
        var tr = _table[..256];
        var tg = _table.Slice(256, 256);
        var tb = _table.Slice(512, 256);
        rgba = rgba[..(_width * 4)];
        for (var x = 0; x < _width; x++)
        {
            var p = x * 4;
            r[x] = tr[rgba[p]];
            g[x] = tg[rgba[p + 1]];
            b[x] = tb[rgba[p + 2]];
        }
    }
}
