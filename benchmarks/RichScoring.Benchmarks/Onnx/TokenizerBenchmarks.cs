using System.Net;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;
using RichScoring.Onnx.Tokenization;

namespace RichScoring.Benchmarks.Onnx;

/// <summary>
/// CLIP tokenization of a batch of 64 typical prompts, per text (texts/s = 10⁹ / mean ns): straight into the
/// encoder's int64 [64 × 77] ids and mask, through <see cref="TokenizedBatch"/> for a dynamic sequence axis, and
/// the library's plain BPE tokenizer with a regex pre-tokenizer (which misses OpenAI's ids on some texts) as the
/// baseline. Needs <c>clip/bpe_simple_vocab_16e6.txt.gz</c> from RICHSCORING_TEST_DATA or ../shared/data.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private const int BatchSize = 64;
    private const int Context = 77;

    private static readonly string[] Subjects =
    [
        "cat", "dog", "mountain lake at sunrise", "red sports car", "bowl of ramen", "city skyline at night", "portrait of an old man",
        "golden retriever puppy", "snowy forest", "vintage typewriter", "hot air balloon", "sailboat on the ocean", "bee on a sunflower",
    ];

    private static readonly string[] Templates =
    [
        "a photo of a {0}", "a blurry photo of the {0}.", "A high-quality, professional photograph of a {0}, 4k, detailed",
        "an illustration of a {0} in the style of a watercolor painting", "a close-up photo of the {0} with shallow depth of field",
        "a black and white photo of a {0}", "It's a {0}!", "a low-resolution, jpeg-compressed image of a {0} &amp; its surroundings",
    ];

    private readonly string[] _prompts = new string[BatchSize];
    private readonly long[] _ids = new long[BatchSize * Context];
    private readonly long[] _mask = new long[BatchSize * Context];
    private readonly bool[] _truncated = new bool[BatchSize];
    private ClipTokenizer _tokenizer = null!;
    private BpeTokenizer _library = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = BenchmarkModel.SharedData("clip/bpe_simple_vocab_16e6.txt.gz");
        if (path is null)
        {
            const string message = "TokenizerBenchmarks needs clip/bpe_simple_vocab_16e6.txt.gz: set RICHSCORING_TEST_DATA to the shared data folder (or place it at ../shared/data).";
            Console.WriteLine("// " + message);
            throw new InvalidOperationException(message);
        }

        _tokenizer = ClipTokenizer.CreateFromOpenAIVocabularyFile(path, Context);
        for (var i = 0; i < BatchSize; i++)
        {
            _prompts[i] = string.Format(System.Globalization.CultureInfo.InvariantCulture, Templates[i % Templates.Length], Subjects[i * 7 % Subjects.Length]);
        }

        using var stream = File.OpenRead(path);
        var (vocabulary, merges) = ClipVocabularyReader.ReadOpenAIVocabulary(stream, path);
        var pattern = new Regex(
            @"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
            RegexOptions.IgnoreCase | RegexOptions.Compiled);
        var special = new Dictionary<string, int> { ["<|startoftext|>"] = 49406, ["<|endoftext|>"] = 49407 };
        _library = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            EndOfWordSuffix = "</w>",
            PreTokenizer = new RegexPreTokenizer(pattern, special),
            Normalizer = new SimpleNormalizer(),
            SpecialTokens = special,
            BeginningOfSentenceToken = "<|startoftext|>",
            EndOfSentenceToken = "<|endoftext|>",
        });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize, Description = "library BpeTokenizer.EncodeToIds (regex, WebUtility)")]
    public int LibraryEncodeToIds()
    {
        var total = 0;
        foreach (var prompt in _prompts)
        {
            total += _library.EncodeToIds(prompt, Context, out _, out _).Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "EncodeBatch → int64 [64×77] ids + mask")]
    public int EncodeBatch() => ((ITextTokenizer)_tokenizer).EncodeBatch(_prompts, Context, _ids, _mask, _truncated);

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "TokenizedBatch → longest-sequence axis")]
    public int TokenizedBatchTrimmed()
    {
        using var batch = TokenizedBatch.Encode(_tokenizer, _prompts);
        var sequence = batch.LongestSequence;
        batch.WriteTo(sequence, _ids.AsSpan(0, BatchSize * sequence), _mask.AsSpan(0, BatchSize * sequence), 49407);
        return sequence;
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "ClipTokenizer.Encode (diagnostic, allocates)")]
    public int Encode()
    {
        var total = 0;
        foreach (var prompt in _prompts)
        {
            total += _tokenizer.Encode(prompt).Ids.Count;
        }

        return total;
    }

    private sealed class SimpleNormalizer : Normalizer
    {
        private static readonly Regex WhiteSpace = new(@"\s+", RegexOptions.Compiled);

        public override string Normalize(string original) =>
            WhiteSpace.Replace(WebUtility.HtmlDecode(WebUtility.HtmlDecode(original)), " ").Trim().ToLowerInvariant();

        public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
    }
}
