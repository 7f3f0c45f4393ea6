using System.Text;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// Python's <c>html.unescape</c>, rule for rule: HTML5 named references (with the longest-prefix rule for names
/// written without their ';'), decimal and hex references, and HTML5's replacements for invalid code points.
/// <see cref="System.Net.WebUtility.HtmlDecode(string)"/> differs (HTML4 names only, ';' required), which would
/// change CLIP's token ids for texts such as "&amp;notation" or "&amp;#128;".
/// </summary>
internal static partial class HtmlEntities
{
    private const int MaxNameLength = 32; // Python: [^\t\n\f <&#;]{1,32};?

    /// <summary>Returns <paramref name="text"/> with every character reference replaced, as <c>html.unescape</c> does.</summary>
    public static string Unescape(string text)
    {
        var amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }

        StringBuilder? builder = null; // made on the first reference: most '&' in prompts are plain ampersands
        var copied = 0;
        while (amp >= 0)
        {
            var matched = TryReplace(text, amp, ref builder, copied);
            if (matched > 0)
            {
                copied = amp + matched;
                amp = copied < text.Length ? text.IndexOf('&', copied) : -1;
            }
            else
            {
                amp = amp + 1 < text.Length ? text.IndexOf('&', amp + 1) : -1;
            }
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    // Tries the reference that starts at text[amp] == '&'. On success appends text[copied..amp] and the
    // replacement to the builder (made if needed) and returns how many characters the reference spans; otherwise 0.
    private static int TryReplace(string text, int amp, ref StringBuilder? builder, int copied)
    {
        var start = amp + 1;
        if (start >= text.Length)
        {
            return 0;
        }

        if (text[start] == '#')
        {
            return TryReplaceNumeric(text, amp, ref builder, copied);
        }

        // Up to 32 code points that are none of \t \n \f space < & # ;, then an optional ';'.
        var end = start;
        var codePoints = 0;
        while (end < text.Length && codePoints < MaxNameLength && !IsNameTerminator(text[end]))
        {
            end += char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
            codePoints++;
        }

        if (codePoints == 0)
        {
            return 0;
        }

        var withSemicolon = end < text.Length && text[end] == ';';
        var nameEnd = end;
        if (withSemicolon)
        {
            end++;
            codePoints++;
        }

        var lookup = Names.Lookup;
        var candidate = text.AsSpan(start, end - start);
        if (lookup.TryGetValue(candidate, out var value))
        {
            Start(ref builder, text, copied, amp).Append(value);
            return end - amp;
        }

        // The longest prefix (of at least 2 code points, shorter than the whole) that is a name. Names are ASCII,
        // so only prefixes inside the leading ASCII run can match, and there a code point is one char.
        var asciiRun = 0;
        while (start + asciiRun < nameEnd && text[start + asciiRun] < 0x80)
        {
            asciiRun++;
        }

        for (var length = Math.Min(codePoints - 1, asciiRun); length >= 2; length--)
        {
            if (lookup.TryGetValue(text.AsSpan(start, length), out value))
            {
                Start(ref builder, text, copied, amp).Append(value).Append(text, start + length, end - start - length);
                return end - amp;
            }
        }

        return 0;
    }

    private static int TryReplaceNumeric(string text, int amp, ref StringBuilder? builder, int copied)
    {
        // text[amp + 1] == '#'. Decimal: #[0-9]+;?   Hex: #[xX][0-9a-fA-F]+;?
        var position = amp + 2;
        var hex = position < text.Length && (text[position] == 'x' || text[position] == 'X');
        if (hex)
        {
            position++;
        }

        var digitsStart = position;
        var value = 0;
        while (position < text.Length && (hex ? char.IsAsciiHexDigit(text[position]) : char.IsAsciiDigit(text[position])))
        {
            // Anything above U+10FFFF becomes U+FFFD, so saturating keeps the outcome for any number of digits.
            value = Math.Min((value * (hex ? 16 : 10)) + HexValue(text[position]), 0x110000);
            position++;
        }

        if (position == digitsStart)
        {
            return 0;
        }

        if (position < text.Length && text[position] == ';')
        {
            position++;
        }

        AppendCodePoint(Start(ref builder, text, copied, amp), value);
        return position - amp;
    }

    // Appends the text between the previous reference and this one, creating the builder on first use.
    private static StringBuilder Start(ref StringBuilder? builder, string text, int copied, int amp) =>
        (builder ??= new StringBuilder(text.Length)).Append(text, copied, amp - copied);

    private static void AppendCodePoint(StringBuilder builder, int value)
    {
        var windows1252 = InvalidCharReference(value);
        if (windows1252 >= 0)
        {
            builder.Append((char)windows1252);
        }
        else if (value is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
        {
            builder.Append('\uFFFD');
        }
        else if (!IsInvalidCodePoint(value))
        {
            var rune = new Rune(value);
            Span<char> chars = stackalloc char[2];
            builder.Append(chars[..rune.EncodeToUtf16(chars)]);
        }
    }

    // Python's _invalid_charrefs: what HTML5 makes of NUL, CR and the C1 range (mostly windows-1252).
    private static int InvalidCharReference(int value) => value switch
    {
        0x00 => 0xFFFD,
        0x0D => 0x0D,
        0x80 => 0x20AC,
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x8E => 0x017D,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9E => 0x017E,
        0x9F => 0x0178,
        0x81 or 0x8D or 0x8F or 0x90 or 0x9D => value,
        _ => -1,
    };

    // Python's _invalid_codepoints: these references decode to nothing.
    private static bool IsInvalidCodePoint(int value) =>
        value is >= 0x01 and <= 0x08 or 0x0B or >= 0x0E and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
        || (value & 0xFFFE) == 0xFFFE;

    private static bool IsNameTerminator(char c) => c is '\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // Holds the parsed table; the nested type defers the parse to the first text that contains a '&'.
    private static class Names
    {
        public static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Build().GetAlternateLookup<ReadOnlySpan<char>>();

        private static Dictionary<string, string> Build()
        {
            var names = new Dictionary<string, string>(2300, StringComparer.Ordinal);
            var table = Table.AsSpan();
            while (!table.IsEmpty)
            {
                var entryEnd = table.IndexOf('\0');
                var entry = table[..entryEnd];
                var marker = entry.IndexOfAny('=', '~');
                var name = entry[..marker].ToString();
                var value = entry[(marker + 1)..].ToString();
                names.Add(name + ";", value);
                if (entry[marker] == '~')
                {
                    names.Add(name, value);
                }

                table = table[(entryEnd + 1)..];
            }

            return names;
        }
    }
}
