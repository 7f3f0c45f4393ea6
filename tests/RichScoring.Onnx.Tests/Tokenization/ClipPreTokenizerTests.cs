using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class ClipPreTokenizerTests
{
    // Expected values: regex.findall of CLIP's pattern (IGNORECASE) in Python's regex module.
    [Theory]
    [InlineData("\uD840\uDC00\uD840\uDC01a\uD840\uDC02 \uD835\uDC00\uD835\uDC01\uD835\uDC02 \uD835\uDFCE\uD835\uDFCF a\uD835\uDFD0b",
        new[] { "\uD840\uDC00\uD840\uDC01a\uD840\uDC02", "\uD835\uDC00\uD835\uDC01\uD835\uDC02", "\uD835\uDFCE", "\uD835\uDFCF", "a", "\uD835\uDFD0", "b" })]
    [InlineData("''s 's '\u017F it'll", new[] { "''", "s", "'s", "'\u017F", "it", "'ll" })]
    [InlineData("!<|endoftext|>x<|startoftext|>", new[] { "!<|", "endoftext", "|>", "x", "<|startoftext|>" })]
    [InlineData("don't", new[] { "don", "'t" })]
    [InlineData("1,000.5", new[] { "1", ",", "0", "0", "0", ".", "5" })]
    [InlineData("na\u00EFve caf\u00E9", new[] { "na\u00EFve", "caf\u00E9" })]
    [InlineData("x-ray & c++", new[] { "x", "-", "ray", "&", "c", "++" })]
    [InlineData("we're they've i'm i'd", new[] { "we", "'re", "they", "'ve", "i", "'m", "i", "'d" })]
    [InlineData("   ", new string[0])]
    public void Splits_as_CLIPs_regex_does(string text, string[] expected)
    {
        var splits = ClipPreTokenizer.Instance.PreTokenize(text).Select(s => text.Substring(s.Offset, s.Length));

        Assert.Equal(expected, splits);
    }

    [Fact]
    public void Span_and_string_overloads_agree()
    {
        const string text = "a photo, of 2 cats<|endoftext|>!";

        Assert.Equal(ClipPreTokenizer.Instance.PreTokenize(text), ClipPreTokenizer.Instance.PreTokenize(text.AsSpan()));
    }
}
