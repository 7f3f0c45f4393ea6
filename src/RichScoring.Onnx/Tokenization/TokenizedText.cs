namespace RichScoring.Onnx.Tokenization;

/// <summary>The token ids a prompt becomes, as the text encoder sees them (before padding).</summary>
public sealed class TokenizedText
{
    internal TokenizedText(int[] ids, bool truncated)
    {
        Ids = Array.AsReadOnly(ids);
        Truncated = truncated;
    }

    /// <summary>The ids, start/end tokens included.</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>True when the prompt was longer than the model's context and its tail was dropped.</summary>
    public bool Truncated { get; }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Ids)}]{(Truncated ? " (truncated)" : string.Empty)}";
}
