using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class TokenizedBatchTests
{
    private static readonly string[] Texts = ["a photo of a cat", "a cat", "", "a photo of a very very long text"];

    [Fact]
    public void Batch_pads_to_the_longest_sequence_with_the_padding_id_and_masks_the_padding()
    {
        var tokenizer = ClipTestTokenizers.OpenAI();
        using var batch = TokenizedBatch.Encode(tokenizer, ["a photo of a cat", "a cat", ""]);
        var expected = new[] { tokenizer.Encode("a photo of a cat").Ids, tokenizer.Encode("a cat").Ids, tokenizer.Encode(string.Empty).Ids };

        Assert.Equal(3, batch.Count);
        Assert.Equal(7, batch.LongestSequence);
        Assert.Equal(0, batch.TruncatedCount);

        var ids = new long[3 * 7];
        var mask = new long[3 * 7];
        batch.WriteTo(7, ids, mask, paddingId: 49407);

        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], ids[..7]);
        Assert.Equal([49406, 320, 2368, 49407, 49407, 49407, 49407], ids[7..14]);
        Assert.Equal([49406, 49407, 49407, 49407, 49407, 49407, 49407], ids[14..]);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], mask);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], batch.Ids(i).ToArray());
            Assert.False(batch.IsTruncated(i));
        }
    }

    [Fact]
    public void Batch_can_write_a_longer_axis_with_OpenAIs_zero_padding_and_without_a_mask()
    {
        using var batch = TokenizedBatch.Encode(ClipTestTokenizers.OpenAI(), ["a cat"]);

        var ids = new long[77];
        batch.WriteTo(77, ids, Span<long>.Empty, paddingId: 0);

        Assert.Equal([49406, 320, 2368, 49407], ids[..4]);
        Assert.All(ids[4..], id => Assert.Equal(0, id));
    }

    [Fact]
    public void Batch_rejects_an_axis_shorter_than_its_longest_sequence()
    {
        using var batch = TokenizedBatch.Encode(SigLipTokenizerTests.Create(), Texts);

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.WriteTo(batch.LongestSequence - 1, new long[100], Span<long>.Empty, 1));
    }

    [Fact]
    public void Batch_records_truncation_per_text()
    {
        using var batch = TokenizedBatch.Encode(SigLipTokenizerTests.Create(), Texts, maxLength: 4);

        Assert.Equal(4, batch.LongestSequence);
        Assert.Equal(2, batch.TruncatedCount);
        Assert.True(batch.IsTruncated(0)); // "a photo of a cat" needs 6
        Assert.Equal([4, 5, 6, 1], batch.Ids(0).ToArray());
        Assert.False(batch.IsTruncated(1));
        Assert.Equal([4, 7, 1], batch.Ids(1).ToArray());
        Assert.True(batch.IsTruncated(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.IsTruncated(4));
    }

    [Fact]
    public void Empty_batch_has_no_sequence()
    {
        using var batch = TokenizedBatch.Encode(SigLipTokenizerTests.Create(), []);

        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.LongestSequence);
        batch.WriteTo(0, Span<long>.Empty, Span<long>.Empty, 1);
    }

    [Fact]
    public void EncodeBatch_writes_full_context_rows_for_SigLIP()
    {
        var tokenizer = SigLipTokenizerTests.Create();
        var ids = new long[Texts.Length * 64];
        var mask = new long[Texts.Length * 64];
        var truncated = new bool[Texts.Length];

        var longest = tokenizer.EncodeBatch(Texts, 64, ids, mask, truncated);

        Assert.Equal(tokenizer.Encode(Texts[3]).Ids.Count, longest);
        Assert.Equal([4, 5, 6, 4, 7, 1], ids[..6]);
        Assert.All(ids[6..64], id => Assert.Equal(1, id)); // padded with </s>
        Assert.Equal([1, 1, 1, 1, 1, 1], mask[..6]);
        Assert.All(mask[6..64], m => Assert.Equal(0, m));
        Assert.Equal([1L], ids[128..129]); // "" is just </s>
        Assert.Equal(1, mask[128]);
        Assert.Equal(0, mask[129]);
        Assert.All(truncated, Assert.False);
    }

    [Fact]
    public void EncodeBatch_cuts_rows_to_a_short_axis_and_flags_them()
    {
        ITextTokenizer tokenizer = SigLipTokenizerTests.Create();
        var ids = new long[Texts.Length * 3];
        var truncated = new bool[Texts.Length];

        var longest = tokenizer.EncodeBatch(Texts, 3, ids, Span<long>.Empty, truncated, paddingId: 0);

        Assert.Equal(3, longest);
        Assert.Equal([4, 5, 1, 4, 7, 1, 1, 0, 0], ids[..9]);
        Assert.Equal([true, false, false, true], truncated);
    }

    [Fact]
    public void EncodeBatch_checks_buffer_sizes()
    {
        ITextTokenizer tokenizer = SigLipTokenizerTests.Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodeBatch(Texts, 64, new long[64], Span<long>.Empty, Span<bool>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodeBatch(Texts, 64, new long[256], new long[10], Span<bool>.Empty));
    }
}
