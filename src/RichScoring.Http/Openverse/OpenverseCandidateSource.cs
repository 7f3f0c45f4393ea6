using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RichScoring.Http;

/// <summary>
/// One Openverse image search as a candidate source: <c>GET {base}/v1/images/?q=…&amp;page_size=…&amp;page=…</c>, page
/// after page until the top N are listed or the results run out. Each result becomes a web candidate with id
/// <c>openverse:&lt;id&gt;</c> carrying its size, source domain, title, licence, creator, landing page and thumbnail.
/// </summary>
internal sealed class OpenverseCandidateSource : ICandidateSource
{
    private const int MaxResponseBytes = 16 * 1024 * 1024;

    private readonly Func<HttpClient> _client;
    private readonly OpenverseOptions _options;
    private readonly ILogger _logger;

    public OpenverseCandidateSource(Func<HttpClient> client, string query, OpenverseOptions options, ILogger logger)
    {
        _client = client;
        Query = query;
        _options = options;
        _logger = logger;
    }

    public string Query { get; }

    public async IAsyncEnumerable<Candidate> GetCandidatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pageSize = Math.Min(_options.PageSize, _options.Count);
        for (var page = 1; seen.Count < _options.Count; page++)
        {
            using var document = await GetPageAsync(page, pageSize, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException(Invariant($"Openverse returned an unexpected response for page {page} of '{Query}': no \"results\" array."));
            }

            var count = 0;
            foreach (var result in results.EnumerateArray())
            {
                count++;
                if (seen.Count >= _options.Count)
                {
                    break;
                }

                var candidate = Map(result, out var skipped);
                if (candidate is null)
                {
                    Log.OpenverseSkipped(_logger, skipped!);
                    continue;
                }

                if (seen.Add(candidate.Id))
                {
                    yield return candidate;
                }
            }

            var pageCount = Int(root, "page_count");
            var total = Int(root, "result_count") ?? -1;
            Log.OpenversePage(_logger, page, Query, count, total);

            if (count == 0 || (pageCount is { } last && page >= last) || (pageCount is null && count < pageSize))
            {
                yield break;
            }
        }
    }

    private async Task<JsonDocument> GetPageAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var url = PageUrl(page, pageSize);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var response = await _client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode == HttpStatusCode.Unauthorized ? " (anonymous use allows at most 20 results a page)" : string.Empty;
            throw new HttpRequestException(
                Invariant($"Openverse search failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase} for page {page} of '{Query}'{hint}"),
                null,
                response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new InvalidDataException(Invariant($"Openverse returned more than {MaxResponseBytes} bytes for page {page} of '{Query}'."));
        }

        var body = await ReadAsync(response.Content, page, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(Invariant($"Openverse returned malformed JSON for page {page} of '{Query}': {ex.Message}"), ex);
        }
    }

    private async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContent content, int page, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw new InvalidDataException(Invariant($"Openverse returned more than {MaxResponseBytes} bytes for page {page} of '{Query}'."));
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
    }

    internal Uri PageUrl(int page, int pageSize)
    {
        var url = new StringBuilder(_options.BaseUrl.AbsoluteUri.TrimEnd('/'));
        url.Append("/v1/images/?q=").Append(Uri.EscapeDataString(Query));
        url.Append(CultureInfo.InvariantCulture, $"&page_size={pageSize}&page={page}");
        foreach (var (key, value) in _options.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            url.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new Uri(url.ToString());
    }

    private Candidate? Map(JsonElement result, out string? skipped)
    {
        skipped = null;
        if (result.ValueKind != JsonValueKind.Object || Text(result, "id") is not { Length: > 0 } id)
        {
            skipped = "a result without an id";
            return null;
        }

        if (Link(result, "url") is not { } full)
        {
            skipped = $"result {id} has no usable image URL";
            return null;
        }

        var thumbnail = Link(result, "thumbnail") ?? new Uri(_options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/v1/images/" + Uri.EscapeDataString(id) + "/thumb/");
        var fetched = _options.UseThumbnails ? thumbnail : full;
        var metadata = new ImageMetadata
        {
            // A thumbnail's size is its own; the decoder reads it. The full image's size is only known for the full image.
            Width = _options.UseThumbnails ? null : Int(result, "width") is > 0 and var w ? w : null,
            Height = _options.UseThumbnails ? null : Int(result, "height") is > 0 and var h ? h : null,
            Source = fetched,
            SourceDomain = full.Host,
            Title = Text(result, "title"),
            License = License(Text(result, "license"), Text(result, "license_version")),
            LicenseUrl = Link(result, "license_url"),
            Creator = Text(result, "creator"),
            CreatorUrl = Link(result, "creator_url"),
            LandingPage = Link(result, "foreign_landing_url"),
            ThumbnailUrl = thumbnail,
        };
        return Candidate.FromUrl(fetched, "openverse:" + id, metadata);
    }

    /// <summary>Openverse's licence code and version in the usual short form: <c>by-sa</c>, <c>2.0</c> → <c>CC BY-SA 2.0</c>.</summary>
    internal static string? License(string? code, string? version)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var upper = code.Trim().ToUpperInvariant();
        var name = upper switch
        {
            "CC0" => "CC0",
            "PDM" => "Public Domain Mark",
            _ when upper.StartsWith("BY", StringComparison.Ordinal) => "CC " + upper,
            _ => upper,
        };
        return string.IsNullOrWhiteSpace(version) ? name : name + " " + version.Trim();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } s && !string.IsNullOrWhiteSpace(s)
            ? s.Trim()
            : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static Uri? Link(JsonElement element, string name) =>
        Text(element, name) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
