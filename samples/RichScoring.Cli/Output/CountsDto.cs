namespace RichScoring.Cli.Output;

internal sealed record CountsDto(int Total, int Ranked, int Filtered, int Failed, bool ZeroResult);
