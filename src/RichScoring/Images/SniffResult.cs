namespace RichScoring;

/// <summary>The result of <see cref="ContentSniffer.Sniff"/>: a kind and a short, user-readable name.</summary>
internal readonly record struct SniffResult(SniffKind Kind, string Name);
