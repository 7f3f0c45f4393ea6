using System.Buffers;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// The ids of a batch of texts in one pooled buffer, for a model whose sequence axis is dynamic: encode once, read
/// <see cref="LongestSequence"/>, rent the model's int64 buffers for [<see cref="Count"/> × sequence], then
/// <see cref="WriteTo"/> them. Dispose to return the buffer.
/// </summary>
internal sealed class TokenizedBatch : IDisposable
{
    private readonly int[] _ids;
    private readonly int[] _lengths;
    private readonly bool[] _truncated;
    private readonly int _stride;
    private bool _disposed;

    private TokenizedBatch(int count, int stride)
    {
        Count = count;
        _stride = stride;
        _ids = ArrayPool<int>.Shared.Rent(Math.Max(1, count * stride));
        _lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        _truncated = ArrayPool<bool>.Shared.Rent(Math.Max(1, count));
    }

    /// <summary>The number of texts.</summary>
    public int Count { get; }

    /// <summary>The longest id sequence in the batch (0 for an empty batch).</summary>
    public int LongestSequence { get; private set; }

    /// <summary>How many texts were cut to the context.</summary>
    public int TruncatedCount { get; private set; }

    /// <summary>Encodes every text, each cut to <paramref name="maxLength"/> (default: the tokenizer's context length).</summary>
    public static TokenizedBatch Encode(ITextTokenizer tokenizer, IReadOnlyList<string> texts, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(texts);
        var stride = maxLength ?? tokenizer.ContextLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 2, nameof(maxLength));

        var batch = new TokenizedBatch(texts.Count, stride);
        try
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var length = tokenizer.EncodeToIds(texts[i], batch._ids.AsSpan(i * stride, stride), out var truncated);
                batch._lengths[i] = length;
                batch._truncated[i] = truncated;
                batch.LongestSequence = Math.Max(batch.LongestSequence, length);
                batch.TruncatedCount += truncated ? 1 : 0;
            }
        }
        catch
        {
            batch.Dispose();
            throw;
        }

        return batch;
    }

    /// <summary>The ids of text <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> Ids(int index) => _ids.AsSpan(Index(index) * _stride, _lengths[index]);

    /// <summary>True when text <paramref name="index"/> was cut to the context.</summary>
    public bool IsTruncated(int index) => _truncated[Index(index)];

    /// <summary>
    /// Writes the ids row by row into <paramref name="inputIds"/> ([<see cref="Count"/> × <paramref name="sequenceLength"/>]),
    /// padding each row with <paramref name="paddingId"/>, and the attention mask (1 per token, 0 per pad) into
    /// <paramref name="attentionMask"/> unless it is empty.
    /// </summary>
    public void WriteTo(int sequenceLength, Span<long> inputIds, Span<long> attentionMask, long paddingId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, LongestSequence);
        var size = Count * sequenceLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(inputIds.Length, size, nameof(inputIds));
        if (!attentionMask.IsEmpty)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(attentionMask.Length, size, nameof(attentionMask));
        }

        for (var i = 0; i < Count; i++)
        {
            var row = inputIds.Slice(i * sequenceLength, sequenceLength);
            var mask = attentionMask.IsEmpty ? default : attentionMask.Slice(i * sequenceLength, sequenceLength);
            TextTokenizerExtensions.WriteRow(Ids(i), row, mask, paddingId);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<int>.Shared.Return(_ids);
        ArrayPool<int>.Shared.Return(_lengths);
        ArrayPool<bool>.Shared.Return(_truncated);
    }

    private int Index(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }
}
