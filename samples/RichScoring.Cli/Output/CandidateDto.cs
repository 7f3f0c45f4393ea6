namespace RichScoring.Cli.Output;

internal sealed record CandidateDto
{
    public required string Id { get; init; }

    public required CandidateStatus Status { get; init; }

    public int? Rank { get; init; }

    public float? Score { get; init; }

    public bool? BelowThreshold { get; init; }

    public string? Reason { get; init; }

    public string? Stage { get; init; }

    public string? DuplicateOf { get; init; }

    public string? Source { get; init; }

    public string? SourceDomain { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    public long? Bytes { get; init; }

    public string? Format { get; init; }

    public string? Title { get; init; }

    public string? License { get; init; }

    public string? LicenseUrl { get; init; }

    public string? Creator { get; init; }

    public string? CreatorUrl { get; init; }

    public string? LandingPage { get; init; }

    public IReadOnlyList<ComponentDto>? Components { get; init; }

    public PromptMatchDto? BestPositive { get; init; }

    public PromptMatchDto? BestNegative { get; init; }

    public float? RerankScore { get; init; }

    public string? RerankExplanation { get; init; }

    public static CandidateDto From(CandidateOutcome o)
    {
        var m = o.Metadata ?? o.Candidate.Metadata;
        return new CandidateDto
        {
            Id = o.Candidate.Id,
            Status = o.Status,
            Rank = o.Rank,
            Score = o.Score,
            BelowThreshold = o.BelowThreshold ? true : null,
            Reason = o.Reason,
            Stage = o.Stage,
            DuplicateOf = o.DuplicateOf,
            Source = (o.Candidate.Source ?? m.Source)?.ToString(),
            SourceDomain = m.SourceDomain,
            Width = m.Width,
            Height = m.Height,
            Bytes = m.ByteLength,
            Format = m.Format,
            Title = m.Title,
            License = m.License,
            LicenseUrl = m.LicenseUrl?.ToString(),
            Creator = m.Creator,
            CreatorUrl = m.CreatorUrl?.ToString(),
            LandingPage = m.LandingPage?.ToString(),
            Components = o.Breakdown?.Components.Select(c => new ComponentDto(c.Name, c.Value, c.Weight)).ToList(),
            BestPositive = o.Breakdown?.BestPositive is { } p ? new PromptMatchDto(p.Prompt, p.Similarity) : null,
            BestNegative = o.Breakdown?.BestNegative is { } n ? new PromptMatchDto(n.Prompt, n.Similarity) : null,
            RerankScore = o.Rerank?.Score,
            RerankExplanation = o.Rerank?.Explanation,
        };
    }
}
