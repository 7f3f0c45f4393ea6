namespace RichScoring;

/// <summary>The prompt of a set that an image matched best, and how well.</summary>
/// <param name="Index">Position of the prompt in its set.</param>
/// <param name="Prompt">The prompt text.</param>
/// <param name="Similarity">Cosine similarity between the image and the prompt.</param>
public sealed record PromptMatch(int Index, string Prompt, float Similarity);
