using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using RichScoring.Http.Tests.Server;

namespace RichScoring.Http.Tests.Openverse;

/// <summary>
/// A loopback server that answers like Openverse's <c>/v1/images/</c>, with scenarios chosen by a path prefix:
/// <c>/ov/{scenario}/v1/images/</c>. Result image URLs point back at the same server's image routes.
/// </summary>
public sealed class OpenverseFixture : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IReadOnlyDictionary<string, string>>> _requests = new(StringComparer.Ordinal);

    public OpenverseFixture()
    {
        Server.Map("/ov/", Answer);
    }

    internal LoopbackServer Server { get; } = new();

    /// <summary>Total results the "catalogue" has for a scenario.</summary>
    public static int TotalFor(string scenario) => scenario.StartsWith("few", StringComparison.Ordinal) ? 25 : 100;

    public Uri BaseUrl(string scenario) => Server.Url($"/ov/{scenario}");

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests(string scenario) =>
        _requests.TryGetValue(scenario, out var queue) ? [.. queue] : [];

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>The JSON of one result, as Openverse writes it.</summary>
    public string Result(int n, string scenario) => $$"""
        {
          "id": "{{Id(n)}}",
          "title": "Duck {{n}}",
          "indexed_on": "2024-05-01T10:00:00Z",
          "foreign_landing_url": "https://www.flickr.com/photos/someone/{{n}}",
          "url": "{{Server.Url($"/ok/{scenario}-{n}.jpg")}}",
          "creator": "Photographer {{n}}",
          "creator_url": "https://www.flickr.com/photos/someone",
          "license": "by-sa",
          "license_version": "2.0",
          "license_url": "https://creativecommons.org/licenses/by-sa/2.0/",
          "provider": "flickr",
          "source": "flickr",
          "category": "photograph",
          "filesize": 123456,
          "filetype": "jpg",
          "tags": [{ "name": "duck", "accuracy": null }],
          "attribution": "\"Duck {{n}}\" by Photographer {{n}} is licensed under CC BY-SA 2.0.",
          "fields_matched": ["title"],
          "mature": false,
          "height": 480,
          "width": 640,
          "thumbnail": "{{Server.Url($"/ok/{scenario}-{n}-thumb.jpg")}}",
          "detail_url": "https://api.openverse.org/v1/images/{{Id(n)}}/",
          "related_url": "https://api.openverse.org/v1/images/{{Id(n)}}/related/"
        }
        """;

    public static string Id(int n) => string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{n:D12}");

    private async Task Answer(ServerExchange x)
    {
        var segments = x.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // ov, scenario, v1, images
        var scenario = segments[1];
        _requests.GetOrAdd(scenario, _ => new()).Enqueue(x.Query);
        if (segments.Length < 4 || segments[2] != "v1" || segments[3] != "images")
        {
            await x.RespondAsync(404, "{\"detail\":\"Not found.\"}"u8.ToArray(), "application/json");
            return;
        }

        switch (scenario)
        {
            case "malformed":
                await x.RespondAsync(200, "{\"result_count\": 3, \"results\": [ {\"id\": \"a\""u8.ToArray(), "application/json");
                return;
            case "no-results":
                await x.RespondAsync(200, "{\"detail\": \"something else\"}"u8.ToArray(), "application/json");
                return;
            case "broken":
                await x.RespondAsync(500, "{\"detail\":\"boom\"}"u8.ToArray(), "application/json");
                return;
            case "unauthorized":
                await x.RespondAsync(401, "{\"detail\":\"Authentication credentials were not provided.\"}"u8.ToArray(), "application/json");
                return;
            case "throttled" when x.Hit == 1:
                await x.RespondAsync(429, "{\"detail\":\"Request was throttled.\"}"u8.ToArray(), "application/json", ("Retry-After", "0"));
                return;
            case "odd":
                await x.RespondAsync(200, Encoding.UTF8.GetBytes(Odd(scenario)), "application/json");
                return;
        }

        var page = x.QueryInt("page", 1);
        var size = x.QueryInt("page_size", 20);
        var total = TotalFor(scenario);
        var pages = (total + size - 1) / size;
        var first = ((page - 1) * size) + 1;
        var results = Enumerable.Range(first, Math.Max(0, Math.Min(size, total - first + 1))).Select(n => Result(n, scenario));
        var json = $$"""
            { "result_count": {{total}}, "page_count": {{pages}}, "page_size": {{size}}, "page": {{page}},
              "results": [{{string.Join(",", results)}}], "warnings": [] }
            """;
        await x.RespondAsync(200, Encoding.UTF8.GetBytes(json), "application/json");
    }

    /// <summary>A page with results missing fields, null fields and a repeated id.</summary>
    private string Odd(string scenario)
    {
        return $$"""
            { "result_count": 5, "page_count": 1, "page_size": 20, "page": 1, "results": [
              {{Result(1, scenario)}},
              { "id": "no-url", "title": "Nothing to fetch", "url": null },
              { "title": "no id", "url": "{{Server.Url("/ok/no-id.jpg")}}" },
              {{Result(1, scenario)}},
              { "id": "bare", "url": "{{Server.Url("/ok/bare.jpg")}}", "title": null, "license": null, "width": null, "height": null, "thumbnail": null, "creator_url": "not a url" }
            ] }
            """;
    }
}
