namespace RichScoring.Cli.Ranking;

/// <summary>Everything `richscore rank` was asked to do, parsed and checked.</summary>
internal sealed record RankSettings
{
    public IReadOnlyList<string> Inputs { get; init; } = [];

    public string? ListFile { get; init; }

    public string? Search { get; init; }

    public int Count { get; init; } = 24;

    public IReadOnlyList<string> Positive { get; init; } = [];

    public IReadOnlyList<string> Negative { get; init; } = [];

    public string TemplateSet { get; init; } = "reference";

    public int Top { get; init; } = 12;

    public float? Threshold { get; init; }

    public float? Dedup { get; init; } = 0.95f;

    public float? Diversity { get; init; }

    public int MinSide { get; init; } = 200;

    public double MaxAspect { get; init; } = 3;

    public IReadOnlyDictionary<string, float> Weights { get; init; } = new Dictionary<string, float>();

    public string Out { get; init; } = "results";

    public bool Open { get; init; }

    public bool Thumbnails { get; init; }

    public Uri? OpenverseUrl { get; init; }

    public bool AllowPrivateNetworks { get; init; }

    public bool UseCache { get; init; } = true;

    /// <summary><c>--logit-scale</c>: the model's logit scale as a multiplier (exp of the checkpoint's logit_scale).</summary>
    public float? LogitScale { get; init; }

    /// <summary><c>--logit-bias</c>: the model's logit bias (SigLIP).</summary>
    public float? LogitBias { get; init; }

    /// <summary>The settings as they go into results.json (the logit scale and bias only when given).</summary>
    public Dictionary<string, object?> Describe(string model)
    {
        var settings = Common(model);
        if (LogitScale is { } scale)
        {
            settings["logitScale"] = scale;
        }

        if (LogitBias is { } bias)
        {
            settings["logitBias"] = bias;
        }

        return settings;
    }

    private Dictionary<string, object?> Common(string model) => new()
    {
        ["model"] = model,
        ["search"] = Search,
        ["count"] = Search is null ? null : Count,
        ["templateSet"] = TemplateSet,
        ["top"] = Top,
        ["threshold"] = Threshold,
        ["dedup"] = Dedup,
        ["diversity"] = Diversity,
        ["minSide"] = MinSide,
        ["maxAspect"] = MaxAspect,
        ["weights"] = Weights.Count == 0 ? null : Weights,
        ["thumbnails"] = Thumbnails,
    };

    /// <summary>Parses "clip=1,heuristics=0.1".</summary>
    public static Dictionary<string, float> ParseWeights(string? text)
    {
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return weights;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !float.TryParse(part[(eq + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var w))
            {
                throw new FormatException($"--weights: '{part}' is not name=number (for example clip=1,heuristics=0.1).");
            }

            weights[part[..eq].Trim()] = w;
        }

        return weights;
    }
}
