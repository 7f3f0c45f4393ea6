using System.Buffers;
using System.Globalization;
using System.Text;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// The few Python string semantics the reference tokenizers depend on, where .NET's differ:
/// <c>str.isspace</c> (also U+001C..U+001F), the <c>regex</c> module's <c>\s</c> (Unicode White_Space, the same set as
/// .NET's <c>\s</c>) and <c>str.lower</c> (U+0130 becomes two characters; a capital sigma at the end of a word
/// becomes 'ς').
/// </summary>
internal static class PythonText
{
    private const char CapitalSigma = '\u03A3';
    private const int StackLimit = 256;

    /// <summary>Python's <c>str.isspace()</c> for one code point (what <c>str.strip()</c> removes).</summary>
    public static bool IsSpace(int c) => c is >= 0x1C and <= 0x1F || IsWhiteSpace(c);

    /// <summary>Unicode White_Space: <c>\s</c> of Python's <c>regex</c> module and of .NET.</summary>
    public static bool IsWhiteSpace(int c) =>
        c is >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    /// <summary>
    /// <c>re.sub(r"\s+", " ", text).strip()</c> then <c>.lower()</c>: runs of <paramref name="isRunSpace"/> become one
    /// space, <c>str.isspace</c> characters go from both ends, and the result is lower-cased as Python does it.
    /// Returns <paramref name="text"/> itself when nothing changes (the common case for prompts).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="isRunSpace">Which characters a <c>\s+</c> run consists of.</param>
    /// <param name="finalSigma">
    /// True for <c>str.lower()</c> of the whole text; false for Hugging Face's character-by-character lowering,
    /// which never sees a word end.
    /// </param>
    public static string CollapseWhiteSpaceAndLower(string text, Func<int, bool> isRunSpace, bool finalSigma)
    {
        if (IsCleanAscii(text))
        {
            return text;
        }

        char[]? rented = null;
        Span<char> buffer = text.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var length = CollapseAndStrip(text, buffer, isRunSpace);
            return Lower(buffer[..length], finalSigma);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Python's <c>str.lower()</c> (or, without <paramref name="finalSigma"/>, lowering one character at a time).</summary>
    public static string Lower(ReadOnlySpan<char> text, bool finalSigma)
    {
        // Only U+0130 grows (to "i\u0307"), so twice the length always suffices.
        char[]? rented = null;
        Span<char> output = text.Length * 2 <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(text.Length * 2));
        try
        {
            var written = 0;
            var index = 0;
            while (index < text.Length)
            {
                var c = text[index];
                if (c < 0x80)
                {
                    output[written++] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
                    index++;
                    continue;
                }

                if (Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed) != OperationStatus.Done)
                {
                    output[written++] = c; // a lone surrogate: Python strings have none; keep it.
                    index++;
                    continue;
                }

                if (rune.Value == 0x0130)
                {
                    output[written++] = 'i';
                    output[written++] = '\u0307';
                }
                else if (rune.Value == CapitalSigma && finalSigma)
                {
                    output[written++] = IsFinalSigma(text, index) ? '\u03C2' : '\u03C3';
                }
                else
                {
                    written += Rune.ToLowerInvariant(rune).EncodeToUtf16(output[written..]);
                }

                index += consumed;
            }

            return new string(output[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // Python's handle_capital_sigma: \p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased}).
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int index)
    {
        var before = text[..index];
        while (!before.IsEmpty)
        {
            Rune.DecodeLastFromUtf16(before, out var rune, out var consumed);
            before = before[..^consumed];
            if (!IsCaseIgnorable(rune))
            {
                if (!IsCased(rune))
                {
                    return false;
                }

                var after = text[(index + 1)..];
                while (!after.IsEmpty)
                {
                    Rune.DecodeFromUtf16(after, out rune, out consumed);
                    after = after[consumed..];
                    if (!IsCaseIgnorable(rune))
                    {
                        return !IsCased(rune);
                    }
                }

                return true;
            }
        }

        return false;
    }

    // Unicode "Cased" (Lowercase, Uppercase or Lt). The case mappings catch the symbols and numbers with
    // Other_Lowercase/Other_Uppercase (circled letters, Roman numerals); ª and º are the remaining non-ignorable ones.
    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || rune.Value is 0xAA or 0xBA
        || Rune.ToLowerInvariant(rune) != rune || Rune.ToUpperInvariant(rune) != rune;

    // Unicode "Case_Ignorable": Mn, Me, Cf, Lm, Sk and the MidLetter, MidNumLet and Single_Quote word-break characters.
    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || rune.Value is 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;

    private static int CollapseAndStrip(string text, Span<char> output, Func<int, bool> isRunSpace)
    {
        var written = 0;
        var inRun = false;
        foreach (var c in text)
        {
            // Every White_Space character is in the BMP, so a char-wise test is exact.
            if (isRunSpace(c))
            {
                inRun = true;
                continue;
            }

            if (inRun)
            {
                output[written++] = ' ';
                inRun = false;
            }

            output[written++] = c;
        }

        if (inRun)
        {
            output[written++] = ' ';
        }

        var start = 0;
        while (start < written && IsSpace(output[start]))
        {
            start++;
        }

        var end = written;
        while (end > start && IsSpace(output[end - 1]))
        {
            end--;
        }

        output[start..end].CopyTo(output);
        return end - start;
    }

    // Printable ASCII, no upper case, single interior spaces only: nothing for the cleanup to do.
    private static bool IsCleanAscii(string text)
    {
        if (text.Length == 0)
        {
            return true;
        }

        if (text[0] == ' ' || text[^1] == ' ')
        {
            return false;
        }

        var previousSpace = false;
        foreach (var c in text)
        {
            if (c is < (char)0x20 or >= (char)0x7F || char.IsAsciiLetterUpper(c))
            {
                return false;
            }

            var space = c == ' ';
            if (space && previousSpace)
            {
                return false;
            }

            previousSpace = space;
        }

        return true;
    }
}
