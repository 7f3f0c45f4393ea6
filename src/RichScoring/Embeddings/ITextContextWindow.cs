namespace RichScoring;

/// <summary>
/// How much of a text a text encoder's model reads. Offered through <see cref="ITextEncoder.GetService"/> by encoders
/// that tokenize, so that callers can say when a prompt was cut (CLIP reads 77 tokens, SigLIP 64).
/// </summary>
/// <remarks>Implementations must be thread-safe, as the encoder that offers them is.</remarks>
public interface ITextContextWindow
{
    /// <summary>The most tokens the model reads of one text, special tokens included.</summary>
    int ContextLength { get; }

    /// <summary>Whether <paramref name="text"/> is longer than <see cref="ContextLength"/>, so that its end is not read.</summary>
    /// <param name="text">The text.</param>
    bool IsTruncated(string text);
}
