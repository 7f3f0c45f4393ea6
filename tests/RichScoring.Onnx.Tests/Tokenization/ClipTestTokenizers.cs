using System.Collections.Concurrent;
using RichScoring.Onnx.Tokenization;
using RichScoring.Testing;

namespace RichScoring.Onnx.Tests.Tokenization;

/// <summary>The CLIP tokenizer over OpenAI's vocabulary from the shared test data, loaded once per test run.</summary>
internal static class ClipTestTokenizers
{
    private static readonly ConcurrentDictionary<(string Path, int ContextLength), Lazy<ClipTokenizer>> Cache = new();

    /// <summary>The path of <c>bpe_simple_vocab_16e6.txt.gz</c>; skips the test when the shared data is missing.</summary>
    public static string VocabularyPath => TestData.RequireFile("clip/bpe_simple_vocab_16e6.txt.gz");

    /// <summary>The tokenizer (context 77 unless given).</summary>
    public static ClipTokenizer OpenAI(int contextLength = 77)
    {
        var path = VocabularyPath;
        return Cache.GetOrAdd((path, contextLength), key => new Lazy<ClipTokenizer>(
            () => ClipTokenizer.CreateFromOpenAIVocabularyFile(key.Path, key.ContextLength))).Value;
    }
}
