using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// Reads CLIP's byte-level BPE vocabulary and merges from the three layouts models ship them in. Every failure is an
/// <see cref="InvalidDataException"/> whose message starts with the file's name and says what was wrong.
/// </summary>
internal static class ClipVocabularyReader
{
    /// <summary>OpenAI's merges: <c>lines[1 : 49152 - 256 - 2 + 1]</c> of <c>bpe_simple_vocab_16e6.txt</c>.</summary>
    internal const int OpenAIMergeCount = 49152 - 256 - 2;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Hugging Face's <c>vocab.json</c> (token → id) and <c>merges.txt</c> ("a b" per line, optional "#version" header).</summary>
    public static (Dictionary<string, int> Vocabulary, List<string> Merges) ReadVocabAndMerges(
        Stream vocabJson, string vocabName, Stream mergesText, string mergesName)
    {
        ArgumentNullException.ThrowIfNull(vocabJson);
        ArgumentNullException.ThrowIfNull(mergesText);
        Dictionary<string, int> vocabulary;
        using (var document = ParseJson(vocabJson, vocabName))
        {
            vocabulary = ReadVocabulary(document.RootElement, vocabName, "the file");
        }

        var merges = new List<string>(OpenAIMergeCount);
        var text = ReadText(mergesText, mergesName);
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine;
            if (line.IsEmpty || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line[(space + 1)..].Contains(' '))
            {
                throw new InvalidDataException(
                    $"{mergesName} line {lineNumber}: expected two tokens separated by one space, found '{Shorten(line)}'.");
            }

            merges.Add(line.ToString());
        }

        if (merges.Count == 0)
        {
            throw new InvalidDataException($"{mergesName} holds no merges (expected lines such as 'i n').");
        }

        return (vocabulary, merges);
    }

    /// <summary>A Hugging Face <c>tokenizer.json</c>: <c>model.vocab</c> and <c>model.merges</c> ("a b" strings or [a, b] pairs).</summary>
    public static (Dictionary<string, int> Vocabulary, List<string> Merges) ReadTokenizerJson(Stream tokenizerJson, string name)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        using var document = ParseJson(tokenizerJson, name);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{name}: expected a JSON object with a \"model\" object, as Hugging Face tokenizers write it.");
        }

        if (model.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "BPE")
        {
            throw new InvalidDataException($"{name}: model.type is \"{type.GetString()}\"; a CLIP tokenizer is \"BPE\".");
        }

        if (!model.TryGetProperty("vocab", out var vocab))
        {
            throw new InvalidDataException($"{name}: model.vocab is missing.");
        }

        var vocabulary = ReadVocabulary(vocab, name, "model.vocab");
        if (!model.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{name}: model.merges is missing or not an array.");
        }

        var merges = new List<string>(mergesElement.GetArrayLength());
        var index = 0;
        foreach (var item in mergesElement.EnumerateArray())
        {
            merges.Add(ReadMerge(item, name, index++));
        }

        if (merges.Count == 0)
        {
            throw new InvalidDataException($"{name}: model.merges is empty.");
        }

        return (vocabulary, merges);
    }

    /// <summary>OpenAI's gzip'd <c>bpe_simple_vocab_16e6.txt</c>, turned into vocabulary and merges exactly as <c>simple_tokenizer.py</c> does.</summary>
    public static (Dictionary<string, int> Vocabulary, List<string> Merges) ReadOpenAIVocabulary(Stream gzip, string name)
    {
        ArgumentNullException.ThrowIfNull(gzip);
        string text;
        try
        {
            using var decompressed = new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true);
            using var buffer = new MemoryStream();
            decompressed.CopyTo(buffer);
            text = StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{name} is not a valid gzip file: {ex.Message}", ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{name} is not UTF-8 text once decompressed: {ex.Message}", ex);
        }

        // lines = text.split('\n'); merges = lines[1 : 49152 - 256 - 2 + 1]
        var lines = text.Split('\n');
        if (lines.Length < OpenAIMergeCount + 1)
        {
            throw new InvalidDataException(
                $"{name} has {lines.Length} lines; OpenAI's CLIP vocabulary needs a header line and {OpenAIMergeCount} merges.");
        }

        var byteChars = ByteLevelAlphabet();
        var vocabulary = new Dictionary<string, int>(2 * byteChars.Length + OpenAIMergeCount + 2, StringComparer.Ordinal);
        void Add(string token)
        {
            if (!vocabulary.TryAdd(token, vocabulary.Count))
            {
                throw new InvalidDataException($"{name}: the token '{token}' occurs twice; this is not OpenAI's CLIP vocabulary.");
            }
        }

        foreach (var c in byteChars)
        {
            Add(c);
        }

        foreach (var c in byteChars)
        {
            Add(c + "</w>");
        }

        var merges = new List<string>(OpenAIMergeCount);
        for (var i = 1; i <= OpenAIMergeCount; i++)
        {
            // tuple(merge.split()): Python splits on any run of white space.
            var parts = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new InvalidDataException($"{name} line {i + 1}: expected a merge of two tokens, found '{Shorten(lines[i])}'.");
            }

            merges.Add(parts[0] + " " + parts[1]);
            Add(parts[0] + parts[1]);
        }

        Add(ClipTokenizer.StartOfTextToken);
        Add(ClipTokenizer.EndOfTextToken);
        return (vocabulary, merges);
    }

    /// <summary>
    /// <c>bytes_to_unicode().values()</c> in insertion order: the printable Latin-1 bytes map to themselves, the other
    /// 68 bytes to U+0100 onwards.
    /// </summary>
    internal static string[] ByteLevelAlphabet()
    {
        var printable = new List<int>(256);
        for (var b = '!'; b <= '~'; b++)
        {
            printable.Add(b);
        }

        for (var b = 0xA1; b <= 0xAC; b++)
        {
            printable.Add(b);
        }

        for (var b = 0xAE; b <= 0xFF; b++)
        {
            printable.Add(b);
        }

        var chars = printable.ConvertAll(b => ((char)b).ToString());
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                chars.Add(((char)(256 + next++)).ToString());
            }
        }

        return [.. chars];
    }

    private static string ReadMerge(JsonElement item, string name, int index)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            var merge = item.GetString()!;
            var space = merge.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && space < merge.Length - 1 && merge.IndexOf(' ', space + 1) < 0)
            {
                return merge;
            }
        }
        else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2
                 && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
        {
            var first = item[0].GetString()!;
            var second = item[1].GetString()!;
            if (first.Length > 0 && second.Length > 0 && !first.Contains(' ', StringComparison.Ordinal) && !second.Contains(' ', StringComparison.Ordinal))
            {
                return first + " " + second;
            }
        }

        throw new InvalidDataException(
            $"{name}: model.merges[{index}] is {Shorten(item.GetRawText())}; expected \"a b\" or [\"a\", \"b\"] with no spaces inside the tokens.");
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{name}: {where} must be a JSON object mapping each token to its id, found {element.ValueKind}.");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokensById = new Dictionary<int, string>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
            {
                throw new InvalidDataException($"{name}: the id of token '{property.Name}' is {Shorten(property.Value.GetRawText())}; expected an integer ≥ 0.");
            }

            if (!vocabulary.TryAdd(property.Name, id))
            {
                throw new InvalidDataException($"{name}: the token '{property.Name}' appears twice.");
            }

            if (!tokensById.TryAdd(id, property.Name))
            {
                throw new InvalidDataException($"{name}: the tokens '{tokensById[id]}' and '{property.Name}' share the id {id}.");
            }
        }

        if (vocabulary.Count == 0)
        {
            throw new InvalidDataException($"{name}: {where} is empty.");
        }

        return vocabulary;
    }

    private static JsonDocument ParseJson(Stream stream, string name)
    {
        try
        {
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{name} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string ReadText(Stream stream, string name)
    {
        try
        {
            using var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{name} is not UTF-8 text: {ex.Message}", ex);
        }
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 60 ? text.ToString() : string.Concat(text[..57], "...");
}
