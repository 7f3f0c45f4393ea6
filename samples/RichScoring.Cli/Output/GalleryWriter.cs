using System.Globalization;
using System.Net;
using System.Text;

namespace RichScoring.Cli.Output;

/// <summary>
/// Writes gallery.html: one self-contained page (inline CSS, thumbnails as data: URIs, no scripts, no external
/// requests) with the ranked images in order, their scores and breakdowns, and every filtered and failed candidate
/// with its reason. Every text is HTML-encoded: ids, prompts and reasons come from the web.
/// </summary>
internal static class GalleryWriter
{
    private const string Css = """
        :root { font-family: system-ui, sans-serif; color: #1d1d1f; background: #fafafa; }
        body { margin: 0 auto; max-width: 1200px; padding: 24px; }
        h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.15rem; margin: 32px 0 12px; }
        .query { color: #444; margin-bottom: 8px; } .neg { color: #a33; } .pos { color: #1a6b2f; }
        .counts span { display: inline-block; margin-right: 16px; } .warning { background: #fff4d6; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
        .card { background: #fff; border: 1px solid #ddd; border-radius: 8px; overflow: hidden; }
        .card img { width: 100%; height: 200px; object-fit: contain; background: #eee; display: block; }
        .card .body { padding: 8px 12px; font-size: 0.85rem; }
        .rank { font-weight: 700; font-size: 1rem; } .score { float: right; font-weight: 700; }
        .below { color: #a33; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
        td, th { border-bottom: 1px solid #e5e5e5; padding: 4px 6px; text-align: left; vertical-align: top; }
        td img { width: 64px; height: 48px; object-fit: contain; background: #eee; }
        .muted { color: #666; } .id { word-break: break-all; }
        """;

    public static string Render(ScoringResult result, IReadOnlyDictionary<string, string?> thumbnails, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(title)).Append("</title><style>").Append(Css).Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n<div class=\"query\">");
        html.Append(string.Join(", ", result.Query.Positive.Select(p => $"<span class=\"pos\">+ {E(p.ToString())}</span>")));
        if (result.Query.Negative.Count > 0)
        {
            html.Append(" &nbsp; ").Append(string.Join(", ", result.Query.Negative.Select(p => $"<span class=\"neg\">− {E(p.ToString())}</span>")));
        }

        html.Append("</div>\n<div class=\"counts\">")
            .Append(CultureInfo.InvariantCulture, $"<span id=\"count-total\">{result.Outcomes.Count} candidates</span>")
            .Append(CultureInfo.InvariantCulture, $"<span id=\"count-ranked\">{result.Ranked.Count} ranked</span>")
            .Append(CultureInfo.InvariantCulture, $"<span id=\"count-filtered\">{result.FilteredCount} filtered</span>")
            .Append(CultureInfo.InvariantCulture, $"<span id=\"count-failed\">{result.FailedCount} failed</span>")
            .Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">{result.Elapsed.TotalSeconds:0.0} s</span></div>\n");
        foreach (var warning in result.Warnings)
        {
            html.Append("<div class=\"warning\">").Append(E(warning)).Append("</div>\n");
        }

        html.Append("<h2>Ranked</h2>\n<div class=\"grid\" id=\"ranked\">\n");
        foreach (var o in result.Ranked)
        {
            RenderCard(html, o, thumbnails.GetValueOrDefault(o.Candidate.Id));
        }

        html.Append("</div>\n");
        RenderTable(html, "Filtered", "filtered", result.Outcomes.Where(o => o.Status == CandidateStatus.Filtered), thumbnails);
        RenderTable(html, "Failed", "failed", result.Outcomes.Where(o => o.Status == CandidateStatus.Failed), thumbnails);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void RenderCard(StringBuilder html, CandidateOutcome o, string? thumbnail)
    {
        html.Append("<div class=\"card\" data-id=\"").Append(E(o.Candidate.Id)).Append("\" data-rank=\"").Append(o.Rank).Append("\">");
        html.Append(thumbnail is null ? "<img alt=\"no preview\">" : $"<img alt=\"{E(o.Candidate.Id)}\" src=\"{thumbnail}\">");
        html.Append("<div class=\"body\"><span class=\"rank\">#").Append(o.Rank).Append("</span><span class=\"score\">").Append(F(o.Score)).Append("</span>");
        if (o.BelowThreshold)
        {
            html.Append(" <span class=\"below\">below threshold</span>");
        }

        html.Append("<div class=\"id\">").Append(Link(o)).Append("</div>");
        if ((o.Metadata ?? o.Candidate.Metadata).Title is { } title)
        {
            html.Append("<div class=\"title\">").Append(E(title)).Append("</div>");
        }

        Metadata(html, o);
        if (o.Breakdown is { } b)
        {
            html.Append("<table class=\"breakdown\">");
            foreach (var c in b.Components)
            {
                html.Append("<tr><td>").Append(E(c.Name)).Append("</td><td>").Append(F(c.Value)).Append("</td><td class=\"muted\">× ").Append(F(c.Weight)).Append("</td></tr>");
            }

            if (b.BestPositive is { } p)
            {
                html.Append("<tr><td class=\"pos\">best +</td><td colspan=\"2\">").Append(E(p.Prompt)).Append(" (cos ").Append(F(p.Similarity)).Append(")</td></tr>");
            }

            if (b.BestNegative is { } n)
            {
                html.Append("<tr><td class=\"neg\">best −</td><td colspan=\"2\">").Append(E(n.Prompt)).Append(" (cos ").Append(F(n.Similarity)).Append(")</td></tr>");
            }

            html.Append("</table>");
        }

        if (o.Rerank is { } r)
        {
            html.Append("<div class=\"muted\">second opinion ").Append(F(r.Score)).Append(r.Explanation is null ? "" : ": " + E(r.Explanation)).Append("</div>");
        }

        html.Append("</div></div>\n");
    }

    private static void RenderTable(StringBuilder html, string heading, string id, IEnumerable<CandidateOutcome> outcomes, IReadOnlyDictionary<string, string?> thumbnails)
    {
        var list = outcomes.ToList();
        html.Append("<h2>").Append(heading).Append(CultureInfo.InvariantCulture, $" ({list.Count})</h2>\n");
        if (list.Count == 0)
        {
            html.Append("<p class=\"muted\">None.</p>\n");
            return;
        }

        html.Append("<table id=\"").Append(id).Append("\"><tr><th></th><th>candidate</th><th>reason</th><th>score</th></tr>\n");
        foreach (var o in list)
        {
            var thumb = thumbnails.GetValueOrDefault(o.Candidate.Id);
            html.Append("<tr data-id=\"").Append(E(o.Candidate.Id)).Append("\"><td>").Append(thumb is null ? "" : $"<img alt=\"\" src=\"{thumb}\">")
                .Append("</td><td class=\"id\">").Append(Link(o));
            Metadata(html, o);
            html.Append("</td><td class=\"reason\">").Append(E(o.Reason ?? "")).Append("</td><td>").Append(F(o.Score)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Metadata(StringBuilder html, CandidateOutcome o)
    {
        var m = o.Metadata ?? o.Candidate.Metadata;
        var parts = new List<string>();
        if (m.Width is { } w && m.Height is { } h)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{w}×{h}"));
        }

        if (m.SourceDomain is { } domain)
        {
            parts.Add(m.LandingPage is { } page ? Anchor(page, domain) : E(domain));
        }

        if (m.License is { } license)
        {
            parts.Add("<span class=\"license\">" + (m.LicenseUrl is { } url ? Anchor(url, license) : E(license)) + "</span>");
        }

        if (m.Creator is { } creator)
        {
            parts.Add("by " + (m.CreatorUrl is { } url ? Anchor(url, creator) : E(creator)));
        }

        if (parts.Count > 0)
        {
            html.Append("<div class=\"muted\">").Append(string.Join(" · ", parts)).Append("</div>");
        }
    }

    private static string Link(CandidateOutcome o)
    {
        var source = o.Candidate.Source;
        return source is { IsAbsoluteUri: true } && (source.Scheme == Uri.UriSchemeHttp || source.Scheme == Uri.UriSchemeHttps)
            ? $"<a href=\"{E(source.AbsoluteUri)}\" rel=\"noreferrer noopener\">{E(o.Candidate.Id)}</a>"
            : E(o.Candidate.Id);
    }

    private static string Anchor(Uri url, string text) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? $"<a href=\"{E(url.AbsoluteUri)}\" rel=\"noreferrer noopener\">{E(text)}</a>"
            : E(text);

    private static string F(float? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
