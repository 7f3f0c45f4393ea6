using System.Globalization;

namespace RichScoring;

/// <summary>
/// Settings of <see cref="HeuristicScorer"/>: rules on what is known about a candidate before its pixels are seen
/// (size, bytes, source domain), each usable as a hard filter, as a score term, or off (<see cref="HeuristicMode"/>).
/// </summary>
/// <remarks>
/// <para>
/// A rule whose input is unknown (no width or height, no byte length, no domain) never rejects and adds a neutral term
/// (0). Rules used as score terms add up to <see cref="HeuristicVerdict.Score"/>: each size rule adds minus how far the
/// image falls short (0 when it passes, towards −1 the further it misses), the domain lists −1 or 0, the domain weights
/// their weight, and the resolution preference a bonus in [0, 1].
/// </para>
/// <para>Domains are host names; an entry also matches its subdomains ("example.com" matches "img.example.com").</para>
/// </remarks>
public sealed class HeuristicOptions
{
    /// <summary>
    /// Gets or sets the shortest side, in pixels, a usable image must have (the smaller of width and height; an image
    /// exactly this size passes): at least 0. Defaults to 200, below which an image is a thumbnail or an icon and too
    /// coarse for a modelling reference. As a score term: <c>−max(0, 1 − side / MinShortestSide)</c>.
    /// </summary>
    public int MinShortestSide { get; set; } = 200;

    /// <summary>Gets or sets how <see cref="MinShortestSide"/> is used. Defaults to <see cref="HeuristicMode.Filter"/>.</summary>
    public HeuristicMode ShortestSideMode { get; set; } = HeuristicMode.Filter;

    /// <summary>
    /// Gets or sets the largest ratio of the long side to the short side (≥ 1; exactly this ratio passes). Defaults to 3:
    /// banners, strips and sprite sheets are wider than that, photographs of objects rarely. As a score term:
    /// <c>−max(0, 1 − MaxAspectRatio / ratio)</c>.
    /// </summary>
    public double MaxAspectRatio { get; set; } = 3;

    /// <summary>Gets or sets how <see cref="MaxAspectRatio"/> is used. Defaults to <see cref="HeuristicMode.Filter"/>.</summary>
    public HeuristicMode AspectRatioMode { get; set; } = HeuristicMode.Filter;

    /// <summary>
    /// Gets or sets the smallest encoded file size in bytes (at least 0; exactly this size passes). Defaults to 10 KB
    /// (10,240 bytes), which catches tracking pixels, placeholders and flat clip art. As a score term:
    /// <c>−max(0, 1 − bytes / MinBytes)</c>.
    /// </summary>
    public long MinBytes { get; set; } = 10 * 1024;

    /// <summary>
    /// Gets or sets how <see cref="MinBytes"/> is used. Defaults to <see cref="HeuristicMode.Off"/>: file size is a weak
    /// sign of quality once the pixel size is known (a 300×300 WebP or AVIF photograph can weigh 6 KB), so it is for
    /// sources that report bytes but not dimensions.
    /// </summary>
    public HeuristicMode BytesMode { get; set; } = HeuristicMode.Off;

    /// <summary>
    /// Gets the domains candidates may come from; when not empty, a candidate from any other known domain fails.
    /// Empty by default (every domain allowed).
    /// </summary>
    public IList<string> AllowedDomains { get; } = new List<string>();

    /// <summary>
    /// Gets or sets how <see cref="AllowedDomains"/> is used (only when the list is not empty). Defaults to
    /// <see cref="HeuristicMode.Filter"/>. As a score term: −1 for a domain outside the list, else 0.
    /// </summary>
    public HeuristicMode AllowedDomainsMode { get; set; } = HeuristicMode.Filter;

    /// <summary>Gets the domains candidates must not come from. Empty by default.</summary>
    public IList<string> DeniedDomains { get; } = new List<string>();

    /// <summary>
    /// Gets or sets how <see cref="DeniedDomains"/> is used (only when the list is not empty). Defaults to
    /// <see cref="HeuristicMode.Filter"/>. As a score term: −1 for a denied domain, else 0.
    /// </summary>
    public HeuristicMode DeniedDomainsMode { get; set; } = HeuristicMode.Filter;

    /// <summary>
    /// Gets per-domain score terms (finite; positive to favour a source such as a stock photo site, negative to disfavour
    /// one). A candidate gets the weight of the most specific entry its domain matches, 0 when none does. A score term
    /// whenever the dictionary is not empty. Empty by default.
    /// </summary>
    public IDictionary<string, float> DomainWeights { get; } = new Dictionary<string, float>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets whether larger images get a bonus: <c>clamp(1 + log10(megapixels / FullResolutionMegapixels) / 2, 0, 1)</c>,
    /// which rises by 0.5 for every tenfold more pixels, from 0 at 1/100 of <see cref="FullResolutionMegapixels"/> to 1
    /// at it and beyond. A score term. Off by default.
    /// </summary>
    public bool PreferHigherResolution { get; set; }

    /// <summary>
    /// Gets or sets the size, in megapixels, at which the resolution bonus saturates at 1: finite and greater than 0.
    /// Defaults to 4 (about 2450 × 1630): more pixels than that add nothing for a reference image, and the bonus then
    /// starts at 0.04 MP, a 200 × 200 image.
    /// </summary>
    public double FullResolutionMegapixels { get; set; } = 4;

    /// <summary>Checks every setting.</summary>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentException">A setting is out of range, a domain is not a host name, or a domain is both allowed and denied.</exception>
    internal void Validate(string paramName = "options")
    {
        CheckMode(ShortestSideMode, nameof(ShortestSideMode), paramName);
        CheckMode(AspectRatioMode, nameof(AspectRatioMode), paramName);
        CheckMode(BytesMode, nameof(BytesMode), paramName);
        CheckMode(AllowedDomainsMode, nameof(AllowedDomainsMode), paramName);
        CheckMode(DeniedDomainsMode, nameof(DeniedDomainsMode), paramName);
        if (MinShortestSide < 0)
        {
            throw Invalid($"{nameof(MinShortestSide)} must be ≥ 0, got {MinShortestSide}.", paramName);
        }

        if (!(MaxAspectRatio >= 1) || !double.IsFinite(MaxAspectRatio))
        {
            throw Invalid($"{nameof(MaxAspectRatio)} must be a finite number ≥ 1, got {MaxAspectRatio.ToString(CultureInfo.InvariantCulture)}.", paramName);
        }

        if (MinBytes < 0)
        {
            throw Invalid($"{nameof(MinBytes)} must be ≥ 0, got {MinBytes}.", paramName);
        }

        if (!(FullResolutionMegapixels > 0) || !double.IsFinite(FullResolutionMegapixels))
        {
            throw Invalid(
                $"{nameof(FullResolutionMegapixels)} must be a finite number > 0, got {FullResolutionMegapixels.ToString(CultureInfo.InvariantCulture)}.",
                paramName);
        }

        var allowed = ParseDomains(AllowedDomains, nameof(AllowedDomains), paramName);
        var denied = ParseDomains(DeniedDomains, nameof(DeniedDomains), paramName);
        foreach (var domain in allowed)
        {
            if (Array.IndexOf(denied, domain) >= 0)
            {
                throw Invalid($"domain '{domain}' is both in {nameof(AllowedDomains)} and in {nameof(DeniedDomains)}.", paramName);
            }
        }

        foreach (var (domain, weight) in DomainWeights)
        {
            if (!float.IsFinite(weight))
            {
                throw Invalid($"{nameof(DomainWeights)}['{domain}'] must be a finite number, got {weight.ToString(CultureInfo.InvariantCulture)}.", paramName);
            }

            _ = DomainName.ParseEntry(domain, nameof(DomainWeights), paramName);
        }
    }

    /// <summary>The entries of a domain list in canonical form.</summary>
    internal static string[] ParseDomains(IList<string> domains, string listName, string paramName)
    {
        var parsed = new string[domains.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            parsed[i] = DomainName.ParseEntry(domains[i], listName, paramName);
        }

        return parsed;
    }

    private static void CheckMode(HeuristicMode mode, string name, string paramName)
    {
        if (!Enum.IsDefined(mode))
        {
            throw Invalid($"{name} must be Off, Filter or Score, got {(int)mode}.", paramName);
        }
    }

    private static ArgumentException Invalid(string message, string paramName) => new($"{nameof(HeuristicOptions)}: {message}", paramName);
}
