namespace RichScoring.Cli.Output;

internal sealed record ComponentDto(string Name, float Value, float Weight);
