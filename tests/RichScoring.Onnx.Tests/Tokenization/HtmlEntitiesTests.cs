using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class HtmlEntitiesTests
{
    // Expected values: Python 3.11's html.unescape.
    [Theory]
    [InlineData("&amp;amp;amp;", "&amp;amp;")]
    [InlineData("&notation", "\u00ACation")] // a legacy name without ';', then the rest
    [InlineData("&copy 2024", "\u00A9 2024")]
    [InlineData("&#128;", "\u20AC")] // windows-1252 for C1 code points
    [InlineData("&#x41;&#65", "AA")]
    [InlineData("&#0;", "\uFFFD")]
    [InlineData("&#1;", "")]
    [InlineData("&#xD800;", "\uFFFD")]
    [InlineData("&#99999999999;", "\uFFFD")]
    [InlineData("&bogus;", "&bogus;")]
    [InlineData("AT&T", "AT&T")]
    [InlineData("&lt;b&gt;", "<b>")]
    [InlineData("&NewLine;", "\n")] // an HTML5 name
    [InlineData("&nbsp;", "\u00A0")]
    [InlineData("&ampx &am &amp", "&x &am &")]
    [InlineData("&#x1F600;", "\uD83D\uDE00")]
    [InlineData("&#X1f600", "\uD83D\uDE00")]
    [InlineData("&#13;", "\r")]
    [InlineData("&#x81;", "\u0081")]
    [InlineData("&ThisIsAVeryLongNameThatIsNotAnEntity;", "&ThisIsAVeryLongNameThatIsNotAnEntity;")]
    [InlineData("&&&;;&#;&#x;", "&&&;;&#;&#x;")]
    [InlineData("&;", "&;")]
    [InlineData("fish &amp; chips", "fish & chips")]
    [InlineData("&quot;hi&quot;", "\"hi\"")]
    [InlineData("&", "&")]
    [InlineData("trailing &", "trailing &")]
    public void Unescape_matches_Pythons_html_unescape(string text, string expected)
    {
        Assert.Equal(expected, HtmlEntities.Unescape(text));
    }

    [Fact]
    public void Text_without_ampersand_is_returned_as_is()
    {
        const string text = "a photo of a cat";

        Assert.Same(text, HtmlEntities.Unescape(text));
    }
}
