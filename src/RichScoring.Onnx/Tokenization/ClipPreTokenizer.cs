using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// CLIP's word splitter, <c>regex.findall</c> of
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// (IGNORECASE) written out by hand. A .NET <see cref="System.Text.RegularExpressions.Regex"/> classifies UTF-16
/// code units, so a letter or digit outside the BMP (U+20000 ideographs, mathematical letters) would be split
/// differently from Python, which classifies code points; this scanner classifies code points too.
/// </summary>
internal sealed class ClipPreTokenizer : PreTokenizer
{
    private const string StartOfText = "<|startoftext|>";
    private const string EndOfText = "<|endoftext|>";

    private ClipPreTokenizer()
    {
    }

    /// <summary>The shared, stateless instance.</summary>
    public static ClipPreTokenizer Instance { get; } = new();

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Split(text);
    }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var splits = new List<(int Offset, int Length)>();
        var position = 0;
        while (Next(text, ref position, out var offset, out var length))
        {
            splits.Add((offset, length));
        }

        return splits;
    }

    /// <summary>Finds the next word at or after <paramref name="position"/>; false when none is left.</summary>
    internal static bool Next(ReadOnlySpan<char> text, ref int position, out int offset, out int length)
    {
        while (position < text.Length)
        {
            var start = position;
            var rest = text[start..];
            var special = MatchSpecial(rest);
            if (special > 0)
            {
                return Found(start, special, ref position, out offset, out length);
            }

            if (rest[0] == '\'')
            {
                var contraction = MatchContraction(rest);
                if (contraction > 0)
                {
                    return Found(start, contraction, ref position, out offset, out length);
                }
            }

            var kind = Classify(rest, out var consumed);
            switch (kind)
            {
                case CharKind.Letter:
                    // [\p{L}]+
                    var end = start + consumed;
                    while (end < text.Length && Classify(text[end..], out consumed) == CharKind.Letter)
                    {
                        end += consumed;
                    }

                    return Found(start, end - start, ref position, out offset, out length);
                case CharKind.Number:
                    // [\p{N}]: one code point per word.
                    return Found(start, consumed, ref position, out offset, out length);
                case CharKind.Other:
                    // [^\s\p{L}\p{N}]+ (greedy: it runs over apostrophes and '<' alike, as Python's does)
                    end = start + consumed;
                    while (end < text.Length && Classify(text[end..], out consumed) == CharKind.Other)
                    {
                        end += consumed;
                    }

                    return Found(start, end - start, ref position, out offset, out length);
                default:
                    position += consumed; // white space separates words and belongs to none
                    break;
            }
        }

        offset = length = 0;
        return false;
    }

    private static bool Found(int start, int count, ref int position, out int offset, out int length)
    {
        offset = start;
        length = count;
        position = start + count;
        return true;
    }

    private static IEnumerable<(int Offset, int Length)> Split(string text)
    {
        var position = 0;
        while (Next(text, ref position, out var offset, out var length))
        {
            yield return (offset, length);
        }
    }

    private static int MatchSpecial(ReadOnlySpan<char> text)
    {
        if (text[0] != '<')
        {
            return 0;
        }

        return StartsWithIgnoreCase(text, StartOfText) ? StartOfText.Length
            : StartsWithIgnoreCase(text, EndOfText) ? EndOfText.Length
            : 0;
    }

    // 's|'t|'re|'ve|'m|'ll|'d, text[0] == '\''.
    private static int MatchContraction(ReadOnlySpan<char> text)
    {
        if (text.Length < 2)
        {
            return 0;
        }

        var second = Fold(text[1]);
        if (second is 's' or 't' or 'm' or 'd')
        {
            return 2;
        }

        if (text.Length >= 3)
        {
            var third = Fold(text[2]);
            if ((second, third) is ('r', 'e') or ('v', 'e') or ('l', 'l'))
            {
                return 3;
            }
        }

        return 0;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<char> text, string pattern)
    {
        if (text.Length < pattern.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (Fold(text[i]) != pattern[i])
            {
                return false;
            }
        }

        return true;
    }

    // Simple case folding, as the regex module's IGNORECASE applies it to these ASCII patterns: ASCII letters and
    // U+017F (long s, which folds to 's'). The text is lower-cased already, but this keeps the scanner exact alone.
    private static char Fold(char c) => c == '\u017F' ? 's' : char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;

    private static CharKind Classify(ReadOnlySpan<char> text, out int consumed)
    {
        var c = text[0];
        if (c < 0x80)
        {
            consumed = 1;
            return char.IsAsciiLetter(c) ? CharKind.Letter
                : char.IsAsciiDigit(c) ? CharKind.Number
                : PythonText.IsWhiteSpace(c) ? CharKind.Space
                : CharKind.Other;
        }

        if (Rune.DecodeFromUtf16(text, out var rune, out consumed) != OperationStatus.Done)
        {
            return CharKind.Other; // a lone surrogate is neither letter, number nor space
        }

        if (PythonText.IsWhiteSpace(rune.Value))
        {
            return CharKind.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharKind.Number,
            _ => CharKind.Other,
        };
    }

    private enum CharKind
    {
        Space,
        Letter,
        Number,
        Other,
    }
}
