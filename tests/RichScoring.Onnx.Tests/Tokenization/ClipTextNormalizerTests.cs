using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class ClipTextNormalizerTests
{
    // Expected values: whitespace_clean(basic_clean(text)).lower() of simple_tokenizer.py (Python 3.11, no ftfy).
    [Theory]
    [InlineData("  A\u3000B\u00A0c\u001C", "a b c")]
    [InlineData("\u001C\u001D a \u001E\u001F", "a")] // str.strip() also removes U+001C..U+001F
    [InlineData("a\u001Cb", "a\u001Cb")] // ... but \s does not match them
    [InlineData("\u0130stanbul", "i\u0307stanbul")]
    [InlineData("\u039F\u0394\u039F\u03A3 \u03A3\u0391\u03A3 \u03A3", "\u03BF\u03B4\u03BF\u03C2 \u03C3\u03B1\u03C2 \u03C3")] // final sigma
    [InlineData("\u0391\u03A3'\u0392 \u0391\u03A3. \u03A3", "\u03B1\u03C3'\u03B2 \u03B1\u03C2. \u03C3")] // ' is case-ignorable
    [InlineData("Tab\tNew\nLine\r\n\u2028X\u0085", "tab new line x")]
    [InlineData("&amp;lt;b&amp;gt;", "<b>")]
    [InlineData("HELLO &amp; World", "hello & world")]
    [InlineData("\u200Ba\u200B", "\u200Ba\u200B")] // zero-width space is not white space
    public void Clean_matches_simple_tokenizer(string text, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.Clean(text));
    }

    [Theory]
    [InlineData("a photo of a cat")]
    [InlineData("x-ray & c++ / c# @home")]
    [InlineData("")]
    public void Clean_lower_case_text_is_not_copied(string text)
    {
        Assert.Same(text, ClipTextNormalizer.Clean(text));
    }

    [Fact]
    public void Long_text_is_cleaned_like_short_text()
    {
        var text = string.Concat(Enumerable.Repeat("A  Photo\tOF &amp; ", 100));

        var cleaned = ClipTextNormalizer.Clean(text);

        Assert.Equal(string.Join(' ', Enumerable.Repeat("a photo of &", 100)), cleaned);
    }
}
