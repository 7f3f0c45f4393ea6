namespace RichScoring.Onnx.Preprocessing;

/// <summary>Receives the output rows of <see cref="PilResampler"/>: 8-bit RGBA, 4 bytes per pixel (alpha meaningless).</summary>
internal interface IRowSink
{
    /// <summary>Output row <paramref name="y"/>; <paramref name="rgba"/> holds at least width × 4 bytes and is reused for the next row.</summary>
    void Row(int y, ReadOnlySpan<byte> rgba);
}
