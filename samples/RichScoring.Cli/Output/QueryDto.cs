namespace RichScoring.Cli.Output;

internal sealed record QueryDto(IReadOnlyList<string> Positive, IReadOnlyList<string> Negative);
