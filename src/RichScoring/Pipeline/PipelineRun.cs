namespace RichScoring;

/// <summary>The state of one <see cref="ScoringPipeline.ScoreAsync"/> call: per-candidate bytes, metadata, scores and outcomes.</summary>
internal sealed class PipelineRun
{
    private readonly CandidateOutcome?[] _outcomes;
    private readonly IProgress<ScoringProgress>? _progress;

    public PipelineRun(Candidate[] candidates, IProgress<ScoringProgress>? progress)
    {
        for (var i = 0; i < candidates.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(candidates[i], $"candidates[{i}]");
        }

        Candidates = candidates;
        Bytes = new ReadOnlyMemory<byte>[candidates.Length];
        Metadata = [.. candidates.Select(c => c.Metadata)];
        Scores = new Scored?[candidates.Length];
        _outcomes = new CandidateOutcome?[candidates.Length];
        _progress = progress;
    }

    public Candidate[] Candidates { get; }

    public int Count => Candidates.Length;

    public ReadOnlyMemory<byte>[] Bytes { get; }

    public ImageMetadata[] Metadata { get; }

    public Scored?[] Scores { get; }

    public List<string> Warnings { get; } = [];

    public int ActiveCount => _outcomes.Count(o => o is null);

    /// <summary>Indices of candidates without an outcome yet.</summary>
    public IEnumerable<int> Active()
    {
        for (var i = 0; i < _outcomes.Length; i++)
        {
            if (Volatile.Read(ref _outcomes[i]) is null)
            {
                yield return i;
            }
        }
    }

    public void FailDuplicateIds()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            if (!seen.Add(Candidates[i].Id))
            {
                Fail(i, "input", $"the id '{Candidates[i].Id}' is used by an earlier candidate", null);
            }
        }
    }

    public void Fail(int i, string stage, string reason, Exception? error) =>
        Set(i, new CandidateOutcome { Candidate = Candidates[i], Status = CandidateStatus.Failed, Stage = stage, Reason = reason, Error = error, Metadata = Metadata[i] });

    public void Filter(int i, string stage, string reason, string? duplicateOf = null) =>
        Set(i, new CandidateOutcome
        {
            Candidate = Candidates[i],
            Status = CandidateStatus.Filtered,
            Stage = stage,
            Reason = reason,
            DuplicateOf = duplicateOf,
            Score = Scores[i]?.Score,
            Breakdown = Scores[i]?.Breakdown,
            Metadata = Metadata[i],
        });

    public void Rank(int i, int rank, Scored scored) =>
        Set(i, new CandidateOutcome
        {
            Candidate = Candidates[i],
            Status = CandidateStatus.Ranked,
            Rank = rank,
            Score = scored.Score,
            Breakdown = scored.Breakdown,
            BelowThreshold = scored.BelowThreshold,
            Rerank = scored.Rerank,
            Metadata = Metadata[i],
        });

    public void Report(string stage, int completed, int total) => _progress?.Report(new ScoringProgress(stage, completed, total));

    /// <summary>Every outcome; a candidate somehow left without one is reported as failed rather than lost.</summary>
    public CandidateOutcome[] Outcomes()
    {
        for (var i = 0; i < Count; i++)
        {
            if (_outcomes[i] is null)
            {
                Fail(i, "internal", "the pipeline lost track of this candidate", null);
            }
        }

        return [.. _outcomes.Select(o => o!)];
    }

    private void Set(int i, CandidateOutcome outcome)
    {
        // First outcome wins: a candidate is never both filtered and failed.
        Interlocked.CompareExchange(ref _outcomes[i], outcome, null);
    }
}
