namespace RichScoring.Tests.Scoring;

/// <summary>A scorer that returns given values and breakdowns, to test combinations in isolation.</summary>
internal sealed class FixedScorer(float[] values, Func<int, ScoreBreakdown>? breakdown = null) : IScorer
{
    public int Calls { get; private set; }

    public ValueTask<ScoreBatch> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default)
    {
        Calls++;
        var breakdowns = Enumerable.Range(0, values.Length).Select(i => breakdown?.Invoke(i) ?? new ScoreBreakdown()).ToArray();
        return ValueTask.FromResult(new ScoreBatch([.. values], breakdowns));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
}
