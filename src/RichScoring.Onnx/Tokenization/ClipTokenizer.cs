using Microsoft.ML.Tokenizers;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// CLIP's text tokenizer, giving the ids of OpenAI's <c>simple_tokenizer.py</c> (without ftfy): HTML unescaping,
/// white-space cleanup and lower-casing, CLIP's word splitting, byte-level BPE with the <c>&lt;/w&gt;</c> suffix, and
/// <c>&lt;|startoftext|&gt;</c> … <c>&lt;|endoftext|&gt;</c> around every text. Texts longer than the context are cut
/// to its length with the end token kept last, as <c>clip.tokenize(..., truncate=True)</c> does. Thread-safe.
/// </summary>
public sealed class ClipTokenizer : ITextTokenizer
{
    internal const string StartOfTextToken = "<|startoftext|>";
    internal const string EndOfTextToken = "<|endoftext|>";

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(Dictionary<string, int> vocabulary, List<string> merges, string vocabularyName, string mergesName, int contextLength)
    {
        if (!vocabulary.TryGetValue(StartOfTextToken, out var start) || !vocabulary.TryGetValue(EndOfTextToken, out var end))
        {
            throw new InvalidDataException(
                $"{vocabularyName}: the vocabulary lacks CLIP's '{StartOfTextToken}' or '{EndOfTextToken}'; is this a CLIP tokenizer?");
        }

        var specialTokens = new Dictionary<string, int>(StringComparer.Ordinal) { [StartOfTextToken] = start, [EndOfTextToken] = end };
        try
        {
            _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
            {
                Merges = merges,
                ByteLevel = true,
                EndOfWordSuffix = "</w>",
                PreTokenizer = ClipPreTokenizer.Instance,
                Normalizer = ClipTextNormalizer.Instance,
                SpecialTokens = specialTokens,
                BeginningOfSentenceToken = StartOfTextToken,
                EndOfSentenceToken = EndOfTextToken,
            });
        }
        catch (InvalidOperationException ex)
        {
            // The library checks that every merge's parts and result are in the vocabulary.
            throw new InvalidDataException($"{mergesName} does not fit {vocabularyName}: {ex.Message}", ex);
        }

        ContextLength = contextLength;
        StartOfTextId = start;
        EndOfTextId = end;
    }

    /// <summary>The number of ids a text becomes at most, start and end tokens included (77 for CLIP models).</summary>
    public int ContextLength { get; }

    /// <summary>The id of <c>&lt;|startoftext|&gt;</c> (49406 in OpenAI's vocabulary).</summary>
    internal int StartOfTextId { get; }

    /// <summary>The id of <c>&lt;|endoftext|&gt;</c> (49407 in OpenAI's vocabulary).</summary>
    internal int EndOfTextId { get; }

    /// <summary>
    /// Pads with the end token, as Hugging Face's CLIP tokenizer does (OpenAI pads with 0). Either gives the same
    /// embeddings: CLIP reads the text embedding at the end token's position (argmax of the ids, or the first end
    /// token), which padding after it does not move.
    /// </summary>
    int ITextTokenizer.PaddingId => EndOfTextId;

    /// <summary>CLIP's embedding does not depend on padding after the end token, so the sequence axis may be trimmed.</summary>
    bool ITextTokenizer.RequiresFullContext => false;

    /// <summary>Creates the tokenizer from Hugging Face's <c>vocab.json</c> and <c>merges.txt</c>.</summary>
    /// <param name="vocabJson">The <c>vocab.json</c> stream (token → id).</param>
    /// <param name="mergesText">The <c>merges.txt</c> stream.</param>
    /// <param name="contextLength">The context length of the model's text encoder.</param>
    /// <exception cref="InvalidDataException">A file is malformed or does not hold a CLIP vocabulary.</exception>
    public static ClipTokenizer Create(Stream vocabJson, Stream mergesText, int contextLength = 77)
        => Create(vocabJson, "vocab.json", mergesText, "merges.txt", contextLength);

    /// <summary>Creates the tokenizer from a Hugging Face <c>tokenizer.json</c> (its <c>model.vocab</c> and <c>model.merges</c>).</summary>
    /// <param name="tokenizerJson">The <c>tokenizer.json</c> stream.</param>
    /// <param name="contextLength">The context length of the model's text encoder.</param>
    /// <exception cref="InvalidDataException">The file is malformed or does not hold a CLIP vocabulary.</exception>
    /// <remarks>The file's own normalizer and pre-tokenizer are not used: the ids follow OpenAI's tokenizer, which CLIP was trained with.</remarks>
    public static ClipTokenizer CreateFromTokenizerJson(Stream tokenizerJson, int contextLength = 77)
        => CreateFromTokenizerJson(tokenizerJson, "tokenizer.json", contextLength);

    /// <summary>Creates the tokenizer from OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>, as <c>simple_tokenizer.py</c> reads it.</summary>
    /// <param name="bpeVocabularyGzip">The gzip'd vocabulary stream.</param>
    /// <param name="contextLength">The context length of the model's text encoder.</param>
    /// <exception cref="InvalidDataException">The file is not OpenAI's gzip'd BPE vocabulary.</exception>
    public static ClipTokenizer CreateFromOpenAIVocabulary(Stream bpeVocabularyGzip, int contextLength = 77)
        => CreateFromOpenAIVocabulary(bpeVocabularyGzip, "bpe_simple_vocab_16e6.txt.gz", contextLength);

    /// <summary>The ids <paramref name="text"/> becomes, start and end tokens included, cut to <see cref="ContextLength"/>.</summary>
    /// <param name="text">The prompt.</param>
    public TokenizedText Encode(string text)
    {
        Span<int> ids = ContextLength <= 512 ? stackalloc int[ContextLength] : new int[ContextLength];
        var count = EncodeToIds(text, ids, out var truncated);
        return new TokenizedText(ids[..count].ToArray(), truncated);
    }

    /// <inheritdoc />
    int ITextTokenizer.EncodeToIds(string text, Span<int> destination, out bool truncated) => EncodeToIds(text, destination, out truncated);

    private int EncodeToIds(string text, Span<int> destination, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (destination.Length < 2)
        {
            throw new ArgumentException("A CLIP sequence needs room for at least the start and end tokens.", nameof(destination));
        }

        if (text.Length == 0)
        {
            // The library returns no ids at all for an empty string; OpenAI gives start and end.
            destination[0] = StartOfTextId;
            destination[1] = EndOfTextId;
            truncated = false;
            return 2;
        }

        // One id more than fits tells whether the text was cut, without encoding the rest of a long text. Ids come
        // out in order, so the first ones equal those of the full encoding.
        var ids = _bpe.EncodeToIds(text, destination.Length + 1, out _, out _);
        truncated = ids.Count > destination.Length;
        var count = truncated ? destination.Length - 1 : ids.Count;
        for (var i = 0; i < count; i++)
        {
            destination[i] = ids[i];
        }

        if (truncated)
        {
            destination[count++] = EndOfTextId; // clip.tokenize(truncate=True): tokens[:n], then tokens[-1] = eot
        }

        return count;
    }

    internal static ClipTokenizer Create(Stream vocabJson, string vocabName, Stream mergesText, string mergesName, int contextLength)
    {
        CheckContextLength(contextLength);
        var (vocabulary, merges) = ClipVocabularyReader.ReadVocabAndMerges(vocabJson, vocabName, mergesText, mergesName);
        return new ClipTokenizer(vocabulary, merges, vocabName, mergesName, contextLength);
    }

    internal static ClipTokenizer CreateFromTokenizerJson(Stream tokenizerJson, string name, int contextLength)
    {
        CheckContextLength(contextLength);
        var (vocabulary, merges) = ClipVocabularyReader.ReadTokenizerJson(tokenizerJson, name);
        return new ClipTokenizer(vocabulary, merges, name, name, contextLength);
    }

    internal static ClipTokenizer CreateFromOpenAIVocabulary(Stream bpeVocabularyGzip, string name, int contextLength)
    {
        CheckContextLength(contextLength);
        var (vocabulary, merges) = ClipVocabularyReader.ReadOpenAIVocabulary(bpeVocabularyGzip, name);
        return new ClipTokenizer(vocabulary, merges, name, name, contextLength);
    }

    /// <summary>Opens <c>vocab.json</c> and <c>merges.txt</c> by path; messages name the paths.</summary>
    internal static ClipTokenizer CreateFromFiles(string vocabJsonPath, string mergesTextPath, int contextLength = 77)
    {
        using var vocab = OpenRequired(vocabJsonPath);
        using var merges = OpenRequired(mergesTextPath);
        return Create(vocab, vocabJsonPath, merges, mergesTextPath, contextLength);
    }

    /// <summary>Opens a <c>tokenizer.json</c> by path; messages name the path.</summary>
    internal static ClipTokenizer CreateFromTokenizerJsonFile(string path, int contextLength = 77)
    {
        using var stream = OpenRequired(path);
        return CreateFromTokenizerJson(stream, path, contextLength);
    }

    /// <summary>Opens OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> by path; messages name the path.</summary>
    internal static ClipTokenizer CreateFromOpenAIVocabularyFile(string path, int contextLength = 77)
    {
        using var stream = OpenRequired(path);
        return CreateFromOpenAIVocabulary(stream, path, contextLength);
    }

    /// <summary>Opens a tokenizer file, turning its absence into a message that names it.</summary>
    internal static FileStream OpenRequired(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The tokenizer file '{path}' is missing.", path);
        }

        return File.OpenRead(path);
    }

    private static void CheckContextLength(int contextLength) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
}
