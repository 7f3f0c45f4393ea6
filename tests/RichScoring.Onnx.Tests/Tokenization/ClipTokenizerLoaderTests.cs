using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class ClipTokenizerLoaderTests : IDisposable
{
    private static readonly string[] Texts =
    [
        "a photo of a cat", "A Photo Of A CAT!!", "", "it's a dog's life, isn't it?", "2024 was year #42",
        "café naïve résumé Ünïcödé", "日本語のテキスト", "emoji 🐱🚀 test", "<|startoftext|> special <|endoftext|>",
        "supercalifragilisticexpialidocious", "x-ray & c++ / c# @home", "Привет мир", "&amp;lt;b&amp;gt; ΟΔΟΣ",
        string.Concat(Enumerable.Repeat("a long prompt that goes on ", 30)),
    ];

    private static readonly JsonSerializerOptions RawUtf8 = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _folder = Directory.CreateTempSubdirectory("richscoring-tok-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void All_three_loaders_give_identical_ids()
    {
        var (vocabulary, merges) = ReadOpenAIVocabularyIndependently(ClipTestTokenizers.VocabularyPath);
        Assert.Equal(49408, vocabulary.Count);

        var vocabPath = Write("vocab.json", JsonSerializer.Serialize(vocabulary.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id)));
        var mergesPath = Write("merges.txt", "#version: 0.2\n" + string.Join('\n', merges.Select(m => $"{m.A} {m.B}")) + "\n");
        var stringMergesPath = Write("tokenizer.json", TokenizerJson(vocabulary, merges.Select(m => (object)$"{m.A} {m.B}")));
        var pairMergesPath = Write("tokenizer-pairs.json", TokenizerJson(vocabulary, merges.Select(m => (object)new[] { m.A, m.B })));

        var fromGzip = ClipTestTokenizers.OpenAI();
        var fromVocabAndMerges = ClipTokenizer.CreateFromFiles(vocabPath, mergesPath);
        var fromStringMerges = ClipTokenizer.CreateFromTokenizerJsonFile(stringMergesPath);
        ClipTokenizer fromPairMerges;
        using (var stream = File.OpenRead(pairMergesPath))
        {
            fromPairMerges = ClipTokenizer.CreateFromTokenizerJson(stream);
        }

        foreach (var text in Texts)
        {
            var expected = fromGzip.Encode(text);
            Assert.Equal(expected.Ids, fromVocabAndMerges.Encode(text).Ids);
            Assert.Equal(expected.Ids, fromStringMerges.Encode(text).Ids);
            Assert.Equal(expected.Ids, fromPairMerges.Encode(text).Ids);
        }

        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], fromPairMerges.Encode("a photo of a cat").Ids);
    }

    [Theory]
    [InlineData("{ not json", "vocab.json is not valid JSON")]
    [InlineData("[1, 2]", "vocab.json: the file must be a JSON object")]
    [InlineData("{\"a\": \"one\"}", "vocab.json: the id of token 'a' is \"one\"")]
    [InlineData("{\"a\": -1}", "vocab.json: the id of token 'a' is -1")]
    [InlineData("{\"a\": 1, \"b\": 1}", "vocab.json: the tokens 'a' and 'b' share the id 1")]
    [InlineData("{}", "vocab.json: the file is empty")]
    public void Malformed_vocab_json_is_reported_with_its_name(string vocabJson, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Create(vocabJson, "a b</w>\n"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#version: 0.2\na b</w>\na b c\n", "merges.txt line 3: expected two tokens separated by one space, found 'a b c'")]
    [InlineData("ab\n", "merges.txt line 1: expected two tokens")]
    [InlineData("#version: 0.2\n\n", "merges.txt holds no merges")]
    [InlineData("a zz\n", "merges.txt does not fit vocab.json")]
    public void Malformed_merges_are_reported_with_their_name(string merges, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Create(TinyVocabJson, merges));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_without_CLIPs_special_tokens_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => Create("{\"a\": 0, \"b</w>\": 1, \"ab</w>\": 2}", "a b</w>\n"));

        Assert.Contains("lacks CLIP's '<|startoftext|>' or '<|endoftext|>'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tiny_vocabulary_itself_loads_and_encodes()
    {
        var tokenizer = Create(TinyVocabJson, "#version: 0.2\na b</w>\n");

        Assert.Equal([0, 4, 1], tokenizer.Encode("AB").Ids);
    }

    [Fact]
    public void A_missing_merges_file_is_named()
    {
        var vocabPath = Write("vocab.json", TinyVocabJson);
        var mergesPath = Path.Combine(_folder, "merges.txt");

        var error = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.CreateFromFiles(vocabPath, mergesPath));

        Assert.Contains(mergesPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_from_files_name_the_path()
    {
        var vocabPath = Write("vocab.json", "not json");
        var mergesPath = Write("merges.txt", "a b</w>\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.CreateFromFiles(vocabPath, mergesPath));

        Assert.StartsWith(vocabPath + " is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "tokenizer.json: expected a JSON object with a \"model\" object")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}", "tokenizer.json: model.type is \"Unigram\"")]
    [InlineData("{\"model\": {\"type\": \"BPE\"}}", "tokenizer.json: model.vocab is missing")]
    [InlineData("{\"model\": {\"vocab\": {\"a\": 0}}}", "tokenizer.json: model.merges is missing or not an array")]
    [InlineData("{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": [\"a b\", [\"a\"]]}}", "tokenizer.json: model.merges[1] is [\"a\"]")]
    [InlineData("{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": [\"a b c\"]}}", "tokenizer.json: model.merges[0] is \"a b c\"")]
    [InlineData("{\"model\": {", "tokenizer.json is not valid JSON")]
    public void Malformed_tokenizer_json_is_reported_with_its_name(string json, string message)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.CreateFromTokenizerJson(stream));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_gzip_is_reported()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("plain text, not gzip"));

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.CreateFromOpenAIVocabulary(stream));

        Assert.StartsWith("bpe_simple_vocab_16e6.txt.gz is not a valid gzip file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_with_too_few_merges_is_reported()
    {
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("#version: 0.2\ni n\nt h"));
        }

        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.CreateFromOpenAIVocabulary(stream));

        Assert.StartsWith("bpe_simple_vocab_16e6.txt.gz has 3 lines", error.Message, StringComparison.Ordinal);
    }

    // Start 0, end 1, then a tiny byte-level vocabulary with one merge "a b</w>" → "ab</w>".
    private const string TinyVocabJson = "{\"<|startoftext|>\": 0, \"<|endoftext|>\": 1, \"a\": 2, \"b</w>\": 3, \"ab</w>\": 4}";

    private static ClipTokenizer Create(string vocabJson, string merges)
    {
        using var vocab = new MemoryStream(Encoding.UTF8.GetBytes(vocabJson));
        using var mergesStream = new MemoryStream(Encoding.UTF8.GetBytes(merges));
        return ClipTokenizer.Create(vocab, mergesStream);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private static string TokenizerJson(List<string> vocabulary, IEnumerable<object> merges)
    {
        var document = new Dictionary<string, object>
        {
            ["version"] = "1.0",
            ["model"] = new Dictionary<string, object>
            {
                ["type"] = "BPE",
                ["end_of_word_suffix"] = "</w>",
                ["vocab"] = vocabulary.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id),
                ["merges"] = merges.ToList(),
            },
        };
        return JsonSerializer.Serialize(document, RawUtf8);
    }

    // simple_tokenizer.py's construction, written out here independently of the library's reader.
    private static (List<string> Vocabulary, List<(string A, string B)> Merges) ReadOpenAIVocabularyIndependently(string path)
    {
        string text;
        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
        {
            text = reader.ReadToEnd();
        }

        var merges = text.Split('\n')[1..(49152 - 256 - 2 + 1)]
            .Select(line => line.Split(' '))
            .Select(parts => (parts[0], parts[1]))
            .ToList();

        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToList();
        var alphabet = printable.Select(b => ((char)b).ToString()).ToList();
        alphabet.AddRange(Enumerable.Range(0, 256).Where(b => !printable.Contains(b)).Select((_, n) => ((char)(256 + n)).ToString()));

        var vocabulary = new List<string>(alphabet);
        vocabulary.AddRange(alphabet.Select(c => c + "</w>"));
        vocabulary.AddRange(merges.Select(m => m.Item1 + m.Item2));
        vocabulary.Add("<|startoftext|>");
        vocabulary.Add("<|endoftext|>");
        return (vocabulary, merges);
    }
}
