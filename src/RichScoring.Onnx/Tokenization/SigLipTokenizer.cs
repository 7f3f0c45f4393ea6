using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// SigLIP's text tokenizer over the model's SentencePiece <c>spiece.model</c>, giving the ids of Hugging Face's
/// <c>SiglipTokenizer</c>: the text is lower-cased, ASCII punctuation is removed and white space collapsed
/// (big_vision's <c>canonicalize_text</c>), SentencePiece splits it, and <c>&lt;/s&gt;</c> ends it. Texts longer than
/// the context are cut with <c>&lt;/s&gt;</c> kept last. The model expects every sequence padded with
/// <c>&lt;/s&gt;</c> to the full context (64), because it reads its embedding at the last position. Thread-safe.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers applies the model's normalization; the unigram segmentation is SentencePiece's own,
/// reproduced here, because the library's breaks near-ties differently and splits runs of unknown characters.
/// Unlike Hugging Face, a literal <c>&lt;/s&gt;</c> or <c>&lt;unk&gt;</c> typed in a prompt is treated as text.
/// Only <c>spiece.model</c> is read: Microsoft.ML.Tokenizers 2.0.1 cannot load SentencePiece models from <c>tokenizer.json</c>.
/// </remarks>
public sealed class SigLipTokenizer : ITextTokenizer
{
    private const char SentencePieceSpace = '\u2581';
    private static readonly SearchValues<char> AsciiPunctuation = SearchValues.Create("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"); // string.punctuation

    private readonly SentencePieceTokenizer _library;
    private readonly SentencePieceUnigram _unigram;
    private readonly string _unknownPiece;
    private readonly int _prefixIds;

    private SigLipTokenizer(SentencePieceModel model, string name, int contextLength)
    {
        if (model.ModelType != 1 || model.ByteFallback)
        {
            throw new InvalidDataException(
                $"{name}: only unigram SentencePiece models without byte fallback are supported (SigLIP's); this one has model_type {model.ModelType}{(model.ByteFallback ? " and byte_fallback" : string.Empty)}.");
        }

        SentencePieceTokenizer library;
        try
        {
            // The library normalizes (the model's precompiled character map, white space rules); the segmentation is ours.
            using var patched = new MemoryStream(model.PatchedForSigLip(), writable: false);
            library = SentencePieceTokenizer.Create(patched, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException
                                       or IOException)
        {
            // IOException covers protobuf's InvalidProtocolBufferException.
            throw new InvalidDataException($"{name} could not be loaded as a SentencePiece model: {ex.Message}", ex);
        }

        _library = library;
        _unigram = new SentencePieceUnigram(model.Pieces, model.UnknownId);
        ContextLength = contextLength;
        EndOfSequenceId = model.EndOfSentenceId;
        _unknownPiece = model.UnknownPiece;
        _prefixIds = EncodePieces(string.Empty, out _, out var rented);
        ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>The number of ids a text becomes at most, <c>&lt;/s&gt;</c> included (64 for SigLIP models).</summary>
    public int ContextLength { get; }

    /// <summary>The id of <c>&lt;/s&gt;</c>, which ends every text and pads it.</summary>
    internal int EndOfSequenceId { get; }

    /// <summary><c>&lt;/s&gt;</c>, the pad token of Hugging Face's <c>SiglipTokenizer</c> and big_vision's <c>pad_value=1</c>.</summary>
    int ITextTokenizer.PaddingId => EndOfSequenceId;

    /// <summary>SigLIP pools the last position, so the sequence must keep its full length.</summary>
    bool ITextTokenizer.RequiresFullContext => true;

    /// <summary>Creates the tokenizer from a SigLIP model's <c>spiece.model</c>.</summary>
    /// <param name="sentencePieceModel">The <c>spiece.model</c> stream.</param>
    /// <param name="contextLength">The context length of the model's text encoder.</param>
    /// <exception cref="InvalidDataException">The stream is not a SentencePiece model SigLIP can use.</exception>
    public static SigLipTokenizer Create(Stream sentencePieceModel, int contextLength = 64)
        => Create(sentencePieceModel, "spiece.model", contextLength);

    /// <summary>The ids <paramref name="text"/> becomes, <c>&lt;/s&gt;</c> included, cut to <see cref="ContextLength"/>.</summary>
    /// <param name="text">The prompt.</param>
    public TokenizedText Encode(string text)
    {
        Span<int> ids = ContextLength <= 512 ? stackalloc int[ContextLength] : new int[ContextLength];
        var count = EncodeToIds(text, ids, out var truncated);
        return new TokenizedText(ids[..count].ToArray(), truncated);
    }

    /// <inheritdoc />
    int ITextTokenizer.EncodeToIds(string text, Span<int> destination, out bool truncated) => EncodeToIds(text, destination, out truncated);

    /// <summary>
    /// Hugging Face's text preparation: <c>"▁" + text.replace("▁", " ")</c>, lower-cased one character at a time,
    /// then <c>canonicalize_text</c>: ASCII punctuation removed, <c>\s+</c> runs made one space, stripped.
    /// </summary>
    internal static string Canonicalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 1).Append(SentencePieceSpace);
        foreach (var c in text)
        {
            if (c == SentencePieceSpace)
            {
                builder.Append(' ');
            }
            else if (!AsciiPunctuation.Contains(c))
            {
                builder.Append(c);
            }
        }

        return PythonText.CollapseWhiteSpaceAndLower(builder.ToString(), PythonText.IsSpace, finalSigma: false);
    }

    internal static SigLipTokenizer Create(Stream sentencePieceModel, string name, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        var model = SentencePieceModel.Read(sentencePieceModel, name);
        return new SigLipTokenizer(model, name, contextLength);
    }

    /// <summary>Opens a <c>spiece.model</c> by path; messages name the path.</summary>
    internal static SigLipTokenizer CreateFromFile(string path, int contextLength = 64)
    {
        using var stream = ClipTokenizer.OpenRequired(path);
        return Create(stream, path, contextLength);
    }

    private int EncodeToIds(string text, Span<int> destination, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (destination.IsEmpty)
        {
            throw new ArgumentException("A SigLIP sequence needs room for at least the end token.", nameof(destination));
        }

        var count = EncodePieces(Canonicalize(text), out var pieces, out var rented);
        try
        {
            // Hugging Face: tokens[unk_token_length:] if len(tokens) >= unk_token_length else tokens
            var skip = count >= _prefixIds ? _prefixIds : 0;
            var available = count - skip;
            truncated = available > destination.Length - 1;
            var kept = truncated ? destination.Length - 1 : available;
            pieces.Slice(skip, kept).CopyTo(destination);
            destination[kept] = EndOfSequenceId;
            return kept + 1;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    // With add_dummy_prefix off, SentencePiece drops a leading "▁"; Hugging Face therefore encodes unk_token + text
    // and removes the unk_token's pieces (the caller skips the first _prefixIds). Doing the same keeps the ids identical.
    private int EncodePieces(string canonical, out Span<int> pieces, out int[] rented)
    {
        // The normalized text comes from an encode call: the public Normalizer.Normalize(string) of 2.0.1 keeps a
        // trailing "▁" and a literal "▁" before a space, which SentencePiece (and the library's own encoder) drop.
        _library.EncodeToIds(_unknownPiece + canonical, addBeginningOfSentence: false, addEndOfSentence: false,
            maxTokenCount: int.MaxValue - 1, out var normalizedText, out _);
        var normalized = normalizedText ?? string.Empty;
        rented = ArrayPool<int>.Shared.Rent(Math.Max(1, normalized.Length));
        var count = _unigram.Encode(normalized, rented);
        pieces = rented.AsSpan(0, count);
        return count;
    }
}
