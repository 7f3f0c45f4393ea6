namespace RichScoring;

/// <summary>One named term of a score: its value and the weight it entered the combination with.</summary>
/// <param name="Name">The term, for example <c>clip.contrast</c> or <c>heuristic.resolution</c>.</param>
/// <param name="Value">The term's value on its own scale (documented per scorer).</param>
/// <param name="Weight">The weight applied in a combination; 1 for a scorer used alone.</param>
public sealed record ScoreComponent(string Name, float Value, float Weight = 1f);
