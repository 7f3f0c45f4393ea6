using Microsoft.ML.Tokenizers;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// OpenAI <c>simple_tokenizer.py</c>'s cleanup without ftfy:
/// <c>whitespace_clean(html.unescape(html.unescape(text)).strip()).lower()</c>, where <c>whitespace_clean</c> is
/// <c>regex.sub(r"\s+", " ", text).strip()</c>.
/// </summary>
internal sealed class ClipTextNormalizer : Normalizer
{
    private ClipTextNormalizer()
    {
    }

    /// <summary>The shared, stateless instance.</summary>
    public static ClipTextNormalizer Instance { get; } = new();

    /// <summary>The cleanup as a plain function; returns <paramref name="text"/> itself when nothing changes.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescaped = HtmlEntities.Unescape(HtmlEntities.Unescape(text));
        return PythonText.CollapseWhiteSpaceAndLower(unescaped, PythonText.IsWhiteSpace, finalSigma: true);
    }

    /// <inheritdoc />
    public override string Normalize(string original) => Clean(original);

    /// <inheritdoc />
    public override string Normalize(ReadOnlySpan<char> original) => Clean(original.ToString());
}
