namespace RichScoring.Cli.Output;

internal sealed record PromptMatchDto(string Prompt, float Similarity);
