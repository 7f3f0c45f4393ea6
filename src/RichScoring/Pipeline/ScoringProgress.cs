namespace RichScoring;

/// <summary>Progress of one scoring call: the stage running and how many candidates it has done.</summary>
/// <param name="Stage">The stage: <c>acquire</c>, <c>identify</c>, <c>embed</c>, <c>score</c>, <c>dedup</c>, <c>rerank</c>, <c>done</c>.</param>
/// <param name="Completed">Candidates the stage has finished.</param>
/// <param name="Total">Candidates the stage has to do.</param>
public readonly record struct ScoringProgress(string Stage, int Completed, int Total);
