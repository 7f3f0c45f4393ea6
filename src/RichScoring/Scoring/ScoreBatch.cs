namespace RichScoring;

/// <summary>The scores a scorer gave to a batch of candidates, each with its breakdown.</summary>
public sealed class ScoreBatch
{
    private readonly float[] _values;
    private readonly ScoreBreakdown[] _breakdowns;

    /// <summary>Creates a result.</summary>
    /// <param name="values">One score per candidate, aligned with the request (higher is better).</param>
    /// <param name="breakdowns">One breakdown per candidate.</param>
    public ScoreBatch(float[] values, ScoreBreakdown[] breakdowns)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(breakdowns);
        if (values.Length != breakdowns.Length)
        {
            throw new ArgumentException($"{values.Length} scores but {breakdowns.Length} breakdowns; there must be one per candidate.");
        }

        _values = values;
        _breakdowns = breakdowns;
    }

    /// <summary>Number of candidates.</summary>
    public int Count => _values.Length;

    /// <summary>The scores, aligned with the request.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The breakdowns, aligned with the request.</summary>
    public IReadOnlyList<ScoreBreakdown> Breakdowns => _breakdowns;
}
