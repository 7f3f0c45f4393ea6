namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// What the text encoders need from a tokenizer. Batches go through <see cref="TokenizedBatch"/> (dynamic sequence
/// axis: encode, then size the buffer to the longest sequence) or <see cref="TextTokenizerExtensions.EncodeBatch"/>
/// (fixed axis: write straight into the model's buffers).
/// </summary>
internal interface ITextTokenizer
{
    /// <summary>The most ids one text becomes, special tokens included (CLIP 77, SigLIP 64).</summary>
    int ContextLength { get; }

    /// <summary>The id the model expects after a text's end (CLIP: the end token as Hugging Face pads; SigLIP: <c>&lt;/s&gt;</c>).</summary>
    int PaddingId { get; }

    /// <summary>
    /// True when the model reads its embedding at a fixed position of a full-length sequence, so the sequence axis
    /// must stay <see cref="ContextLength"/> long (SigLIP pools the last position); false when padding may be trimmed
    /// to the longest sequence of a batch (CLIP pools at the end token).
    /// </summary>
    bool RequiresFullContext { get; }

    /// <summary>The ids of one text, cut to <see cref="ContextLength"/>; a diagnostic that allocates.</summary>
    TokenizedText Encode(string text);

    /// <summary>
    /// Writes the ids of <paramref name="text"/>, special tokens included, to <paramref name="destination"/> and
    /// returns how many it wrote. A text that needs more than <c>destination.Length</c> ids is cut with its end
    /// token kept last, and <paramref name="truncated"/> is set.
    /// </summary>
    int EncodeToIds(string text, Span<int> destination, out bool truncated);
}
