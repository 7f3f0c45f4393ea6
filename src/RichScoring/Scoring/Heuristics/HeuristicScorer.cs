using System.Globalization;

namespace RichScoring;

/// <summary>
/// Scores and filters candidates by their metadata (<see cref="ImageMetadata"/>): shortest side, aspect ratio, file size,
/// source domain allow / deny lists and weights, and a preference for higher resolution (<see cref="HeuristicOptions"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Evaluate"/> needs only metadata, so a pipeline calls it before embedding and never embeds what a filter
/// rejects; <see cref="ScoreAsync"/> applies the same rules to a request's <see cref="ScoringRequest.Metadata"/> and
/// puts a rejection into <see cref="ScoreBreakdown.RejectionReason"/>.
/// </para>
/// <para>
/// Scale: the sum of the score terms (0 when every rule is a filter or off; the size rules and domain lists only ever
/// subtract, the resolution bonus adds up to 1, domain weights add their weight). Metadata that is not known never
/// rejects. The options are copied when the scorer is created; it is thread-safe.
/// </para>
/// </remarks>
public sealed class HeuristicScorer : IScorer
{
    /// <summary>The prefix of this scorer's term names in <see cref="ScoreBreakdown.Components"/>.</summary>
    public const string ComponentName = "heuristics";

    internal const string ShortestSideName = "heuristics.shortest-side";
    internal const string AspectRatioName = "heuristics.aspect-ratio";
    internal const string BytesName = "heuristics.bytes";
    internal const string AllowedDomainName = "heuristics.allowed-domain";
    internal const string DeniedDomainName = "heuristics.denied-domain";
    internal const string DomainWeightName = "heuristics.domain-weight";
    internal const string ResolutionName = "heuristics.resolution";

    private static readonly HeuristicVerdict Pass = new(0f, null, []);

    private readonly int _minShortestSide;
    private readonly HeuristicMode _shortestSideMode;
    private readonly double _maxAspectRatio;
    private readonly HeuristicMode _aspectRatioMode;
    private readonly long _minBytes;
    private readonly HeuristicMode _bytesMode;
    private readonly string[] _allowedDomains;
    private readonly HeuristicMode _allowedDomainsMode;
    private readonly string[] _deniedDomains;
    private readonly HeuristicMode _deniedDomainsMode;
    private readonly (string Domain, float Weight)[] _domainWeights;
    private readonly bool _preferHigherResolution;
    private readonly double _fullResolutionMegapixels;
    private readonly int _termCount;
    private readonly bool _usesDomain;

    /// <summary>Creates the scorer.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults (shortest side ≥ 200 px and aspect ratio ≤ 3 as filters).</param>
    /// <exception cref="ArgumentException">An option is out of range, a domain is not a host name, or a domain is both allowed and denied.</exception>
    public HeuristicScorer(HeuristicOptions? options = null)
    {
        options ??= new HeuristicOptions();
        options.Validate(nameof(options));
        _shortestSideMode = options.ShortestSideMode;
        _aspectRatioMode = options.AspectRatioMode;
        _bytesMode = options.BytesMode;
        _allowedDomainsMode = options.AllowedDomainsMode;
        _deniedDomainsMode = options.DeniedDomainsMode;
        _minShortestSide = options.MinShortestSide;
        _maxAspectRatio = options.MaxAspectRatio;
        _minBytes = options.MinBytes;
        _preferHigherResolution = options.PreferHigherResolution;
        _fullResolutionMegapixels = options.FullResolutionMegapixels;

        _allowedDomains = HeuristicOptions.ParseDomains(options.AllowedDomains, nameof(HeuristicOptions.AllowedDomains), nameof(options));
        _deniedDomains = HeuristicOptions.ParseDomains(options.DeniedDomains, nameof(HeuristicOptions.DeniedDomains), nameof(options));
        _domainWeights = [.. options.DomainWeights.Select(
            pair => (DomainName.ParseEntry(pair.Key, nameof(HeuristicOptions.DomainWeights), nameof(options)), pair.Value))];

        // Most specific (longest) entry first, so the first match is the one that applies.
        Array.Sort(_domainWeights, (a, b) => b.Domain.Length.CompareTo(a.Domain.Length));

        _termCount = (_shortestSideMode == HeuristicMode.Score ? 1 : 0)
            + (_aspectRatioMode == HeuristicMode.Score ? 1 : 0)
            + (_bytesMode == HeuristicMode.Score ? 1 : 0)
            + (AllowListScored ? 1 : 0)
            + (DenyListScored ? 1 : 0)
            + (_domainWeights.Length > 0 ? 1 : 0)
            + (_preferHigherResolution ? 1 : 0);
        _usesDomain = _allowedDomains.Length + _deniedDomains.Length + _domainWeights.Length > 0;
    }

    /// <summary>Whether any rule is used as a score term (otherwise every score is 0).</summary>
    internal bool HasScoreTerms => _termCount > 0;

    private bool AllowListScored => _allowedDomains.Length > 0 && _allowedDomainsMode == HeuristicMode.Score;

    private bool DenyListScored => _deniedDomains.Length > 0 && _deniedDomainsMode == HeuristicMode.Score;

    /// <summary>
    /// Applies the rules to one candidate's metadata; usable before the image is fetched or embedded.
    /// </summary>
    /// <param name="metadata">What is known about the candidate; <see langword="null"/> when nothing is (which never rejects).</param>
    /// <returns>The verdict: score, terms and rejection reason.</returns>
    public HeuristicVerdict Evaluate(ImageMetadata? metadata)
    {
        // Non-positive sizes are broken metadata: treated as unknown, like missing ones.
        int? shortest = null;
        int? longest = null;
        if (metadata is { Width: > 0 and var width, Height: > 0 and var height })
        {
            shortest = Math.Min(width, height);
            longest = Math.Max(width, height);
        }

        long? bytes = metadata?.ByteLength is >= 0 and var b ? b : null;
        var host = _usesDomain ? DomainName.Of(metadata) : null;

        List<string>? reasons = null;
        ScoreComponent[] terms = _termCount == 0 ? [] : new ScoreComponent[_termCount];
        var t = 0;
        var score = 0f;

        void Term(string name, double value)
        {
            var v = (float)value;
            terms[t++] = new ScoreComponent(name, v);
            score += v;
        }

        void Reject(string reason) => (reasons ??= []).Add(reason);

        if (_shortestSideMode != HeuristicMode.Off)
        {
            var fails = shortest < _minShortestSide;
            if (_shortestSideMode == HeuristicMode.Filter && fails)
            {
                Reject($"shortest side {shortest} px < {_minShortestSide}");
            }
            else if (_shortestSideMode == HeuristicMode.Score)
            {
                Term(ShortestSideName, fails ? -(1.0 - ((double)shortest!.Value / _minShortestSide)) : 0.0);
            }
        }

        if (_aspectRatioMode != HeuristicMode.Off)
        {
            double? ratio = shortest is int s ? (double)longest!.Value / s : null;
            var fails = ratio > _maxAspectRatio;
            if (_aspectRatioMode == HeuristicMode.Filter && fails)
            {
                Reject($"aspect ratio {FormatAbove(ratio!.Value, _maxAspectRatio)} > {Format(_maxAspectRatio)}");
            }
            else if (_aspectRatioMode == HeuristicMode.Score)
            {
                Term(AspectRatioName, fails ? -(1.0 - (_maxAspectRatio / ratio!.Value)) : 0.0);
            }
        }

        if (_bytesMode != HeuristicMode.Off)
        {
            var fails = bytes < _minBytes;
            if (_bytesMode == HeuristicMode.Filter && fails)
            {
                Reject($"file {FormatBytesBelow(bytes!.Value, _minBytes)} < {FormatBytes(_minBytes)}");
            }
            else if (_bytesMode == HeuristicMode.Score)
            {
                Term(BytesName, fails ? -(1.0 - ((double)bytes!.Value / _minBytes)) : 0.0);
            }
        }

        if (_deniedDomains.Length > 0 && _deniedDomainsMode != HeuristicMode.Off)
        {
            var match = host is null ? null : FirstMatch(host, _deniedDomains);
            if (_deniedDomainsMode == HeuristicMode.Filter && match is not null)
            {
                Reject(match == host ? $"domain {host} is denied" : $"domain {host} is denied ({match})");
            }
            else if (_deniedDomainsMode == HeuristicMode.Score)
            {
                Term(DeniedDomainName, match is null ? 0.0 : -1.0);
            }
        }

        if (_allowedDomains.Length > 0 && _allowedDomainsMode != HeuristicMode.Off)
        {
            var outside = host is not null && FirstMatch(host, _allowedDomains) is null;
            if (_allowedDomainsMode == HeuristicMode.Filter && outside)
            {
                Reject($"domain {host} is not in the allow list");
            }
            else if (_allowedDomainsMode == HeuristicMode.Score)
            {
                Term(AllowedDomainName, outside ? -1.0 : 0.0);
            }
        }

        if (_domainWeights.Length > 0)
        {
            var weight = 0f;
            if (host is not null)
            {
                foreach (var (domain, value) in _domainWeights)
                {
                    if (DomainName.Matches(host, domain))
                    {
                        weight = value;
                        break;
                    }
                }
            }

            Term(DomainWeightName, weight);
        }

        if (_preferHigherResolution)
        {
            Term(ResolutionName, shortest is int s ? ResolutionBonus((double)s * longest!.Value / 1e6, _fullResolutionMegapixels) : 0.0);
        }

        return reasons is null && _termCount == 0
            ? Pass
            : new HeuristicVerdict(score, reasons is null ? null : string.Join("; ", reasons), terms);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads only <see cref="ScoringRequest.Metadata"/>; candidates without metadata pass with a neutral score.
    /// </remarks>
    public ValueTask<ScoreBatch> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var count = request.Count;
        var values = new float[count];
        var breakdowns = new ScoreBreakdown[count];
        for (var i = 0; i < count; i++)
        {
            var verdict = Evaluate(request.Metadata?[i]);
            values[i] = verdict.Score;
            breakdowns[i] = new ScoreBreakdown { Components = verdict.Components, RejectionReason = verdict.RejectionReason };
        }

        return ValueTask.FromResult(new ScoreBatch(values, breakdowns));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>clamp(1 + log10(mp / full) / 2, 0, 1): +0.5 per tenfold more pixels, 0 at full / 100, 1 from full on.</summary>
    internal static double ResolutionBonus(double megapixels, double fullMegapixels) =>
        Math.Clamp(1.0 + (Math.Log10(megapixels / fullMegapixels) / 2.0), 0.0, 1.0);

    private static string? FirstMatch(string host, string[] domains)
    {
        foreach (var domain in domains)
        {
            if (DomainName.Matches(host, domain))
            {
                return domain;
            }
        }

        return null;
    }

    internal static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    // A value that fails a "> limit" test, with enough decimals that it does not print as the limit ("3.001 > 3").
    private static string FormatAbove(double value, double limit)
    {
        var text = Format(value);
        return text != Format(limit) ? text : value.ToString(CultureInfo.InvariantCulture);
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{Format(bytes / 1024.0)} KB",
        _ => $"{Format(bytes / (1024.0 * 1024.0))} MB",
    };

    // Rounded down, so that 10,239 bytes reads "9.99 KB" rather than "10 KB" next to a 10 KB limit.
    private static string FormatBytesBelow(long bytes, long limit)
    {
        var text = FormatBytes(bytes);
        if (text != FormatBytes(limit))
        {
            return text;
        }

        var (unit, divisor) = bytes < 1024 * 1024 ? ("KB", 1024.0) : ("MB", 1024.0 * 1024.0);
        return $"{(Math.Floor(bytes / divisor * 100) / 100).ToString("0.##", CultureInfo.InvariantCulture)} {unit}";
    }
}
