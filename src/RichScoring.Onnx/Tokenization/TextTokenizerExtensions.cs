namespace RichScoring.Onnx.Tokenization;

/// <summary>Batch encoding straight into a model's int64 input buffers.</summary>
internal static class TextTokenizerExtensions
{
    /// <summary>
    /// Encodes <paramref name="texts"/> into [texts.Count × <paramref name="sequenceLength"/>] <paramref name="inputIds"/>,
    /// each row cut to <paramref name="sequenceLength"/> (end token kept last) and padded with
    /// <paramref name="paddingId"/> (default: the tokenizer's); writes the attention mask unless it is empty, and each
    /// text's truncation flag unless <paramref name="truncated"/> is empty. Returns the longest row's token count.
    /// </summary>
    public static int EncodeBatch(
        this ITextTokenizer tokenizer,
        IReadOnlyList<string> texts,
        int sequenceLength,
        Span<long> inputIds,
        Span<long> attentionMask,
        Span<bool> truncated,
        long? paddingId = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 2);
        var size = texts.Count * sequenceLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(inputIds.Length, size, nameof(inputIds));
        if (!attentionMask.IsEmpty)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(attentionMask.Length, size, nameof(attentionMask));
        }

        if (!truncated.IsEmpty)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(truncated.Length, texts.Count, nameof(truncated));
        }

        var pad = paddingId ?? tokenizer.PaddingId;
        Span<int> ids = sequenceLength <= 512 ? stackalloc int[sequenceLength] : new int[sequenceLength];
        var longest = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var count = tokenizer.EncodeToIds(texts[i], ids, out var cut);
            longest = Math.Max(longest, count);
            if (!truncated.IsEmpty)
            {
                truncated[i] = cut;
            }

            var row = inputIds.Slice(i * sequenceLength, sequenceLength);
            var mask = attentionMask.IsEmpty ? default : attentionMask.Slice(i * sequenceLength, sequenceLength);
            WriteRow(ids[..count], row, mask, pad);
        }

        return longest;
    }

    /// <summary>Widens <paramref name="ids"/> into <paramref name="row"/>, pads the rest, and fills the mask row if given.</summary>
    internal static void WriteRow(ReadOnlySpan<int> ids, Span<long> row, Span<long> mask, long paddingId)
    {
        for (var j = 0; j < ids.Length; j++)
        {
            row[j] = ids[j];
        }

        row[ids.Length..].Fill(paddingId);
        if (!mask.IsEmpty)
        {
            mask[..ids.Length].Fill(1);
            mask[ids.Length..].Clear();
        }
    }
}
