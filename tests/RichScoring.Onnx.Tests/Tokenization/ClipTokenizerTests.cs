using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class ClipTokenizerTests
{
    private const int Start = 49406;
    private const int End = 49407;
    private const int Cat = 2368; // "cat</w>"

    [Fact]
    public void Long_prompt_is_cut_to_77_ids_with_the_end_token_last()
    {
        var text = string.Concat(Enumerable.Repeat("a photo of a very fluffy cat sitting on a mat, ", 20));
        var full = ClipTestTokenizers.OpenAI(contextLength: 4096).Encode(text);
        Assert.True(full.Ids.Count > 200);

        var cut = ClipTestTokenizers.OpenAI().Encode(text);

        Assert.True(cut.Truncated);
        Assert.Equal(77, cut.Ids.Count);
        Assert.Equal(Start, cut.Ids[0]);
        Assert.Equal(End, cut.Ids[76]);
        Assert.Equal(full.Ids.Take(76), cut.Ids.Take(76)); // clip.tokenize(truncate=True): tokens[:77], tokens[-1] = eot
    }

    [Fact]
    public void Seventy_five_words_fill_the_context_exactly_without_truncation()
    {
        var encoded = ClipTestTokenizers.OpenAI().Encode(string.Join(' ', Enumerable.Repeat("cat", 75)));

        Assert.False(encoded.Truncated);
        Assert.Equal(77, encoded.Ids.Count);
        Assert.Equal(Start, encoded.Ids[0]);
        Assert.All(encoded.Ids.Skip(1).Take(75), id => Assert.Equal(Cat, id));
        Assert.Equal(End, encoded.Ids[76]);
    }

    [Fact]
    public void Seventy_six_words_lose_the_last_word_and_keep_the_end_token()
    {
        var encoded = ClipTestTokenizers.OpenAI().Encode(string.Join(' ', Enumerable.Repeat("cat", 76)));

        Assert.True(encoded.Truncated);
        Assert.Equal(77, encoded.Ids.Count);
        Assert.Equal(75, encoded.Ids.Count(id => id == Cat));
        Assert.Equal(End, encoded.Ids[76]);
    }

    [Fact]
    public void A_short_context_cuts_mid_text()
    {
        var encoded = ClipTestTokenizers.OpenAI(contextLength: 5).Encode("a photo of a cat");

        Assert.Equal([Start, 320, 1125, 539, End], encoded.Ids);
        Assert.True(encoded.Truncated);
    }

    [Theory]
    // Expected ids from OpenAI's simple_tokenizer.py logic (Python 3.11, regex module, no ftfy).
    [InlineData("&amp;notation", new[] { Start, 126, 361, 656, End })] // twice unescaped: "&notation" → "¬ation"
    [InlineData("Fish &amp;amp; Chips", new[] { Start, 2759, 261, 8855, End })] // "&amp;amp;" → "&amp;" → "&"
    [InlineData("\u039F\u0394\u039F\u03A3", new[] { Start, 138, 123, 138, 112, 138, 123, 139, 480, End })] // ΟΔΟΣ → οδος (final sigma)
    [InlineData("\u0130stanbul", new[] { Start, 328, 16384, 11231, End })] // İ → "i\u0307"
    [InlineData("\uD840\uDC00a", new[] { Start, 172, 254, 222, 222, 320, End })] // U+20000 is a letter: one word with "a"
    [InlineData("a photo of a CAT &#x1F431;", new[] { Start, 320, 1125, 539, 320, 2368, 22979, End })]
    [InlineData("  A   photo\tof\na cat  ", new[] { Start, 320, 1125, 539, 320, 2368, End })]
    public void Text_is_cleaned_as_simple_tokenizer_does(string text, int[] expected)
    {
        Assert.Equal(expected, ClipTestTokenizers.OpenAI().Encode(text).Ids);
    }

    [Theory]
    [InlineData("A PHOTO OF A CAT", "a photo of a cat")]
    [InlineData("a&nbsp;photo&#32;of&#x20;a\u3000cat", "a photo of a cat")]
    [InlineData("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>")]
    [InlineData("&amp;lt;b&amp;gt;", "<b>")]
    [InlineData("it&#39;s a dog&apos;s life", "it's a dog's life")]
    [InlineData("a\r\n\u2028\u0085photo", "a photo")]
    public void Equivalent_texts_give_equal_ids(string text, string equivalent)
    {
        var tokenizer = ClipTestTokenizers.OpenAI();

        Assert.Equal(tokenizer.Encode(equivalent).Ids, tokenizer.Encode(text).Ids);
    }

    [Fact]
    public void Concurrent_encoding_gives_the_sequential_ids()
    {
        var tokenizer = ClipTestTokenizers.OpenAI();
        var texts = Enumerable.Range(0, 400).Select(i => $"a photo of {i} cats number{i % 37} and a dog{i % 13}, style {i * 7919 % 101}").ToArray();
        var sequential = texts.Select(t => tokenizer.Encode(t).Ids.ToArray()).ToArray();

        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length, i => parallel[i] = tokenizer.Encode(texts[i]).Ids.ToArray());

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void Context_shorter_than_two_is_rejected()
    {
        using var stream = File.OpenRead(ClipTestTokenizers.VocabularyPath);

        Assert.Throws<ArgumentOutOfRangeException>(() => ClipTokenizer.CreateFromOpenAIVocabulary(stream, contextLength: 1));
    }

    [Fact]
    public void Tokenized_text_prints_its_ids()
    {
        var encoded = ClipTestTokenizers.OpenAI().Encode("a cat");

        Assert.Equal("[49406, 320, 2368, 49407]", encoded.ToString());
    }
}
