using System.Globalization;
using System.Text.Json;
using RichScoring.Cli.Tests.Models;

namespace RichScoring.Cli.Tests.Rank;

/// <summary>
/// The options of `richscore rank` by their effects on results.json, on the colour model and the generated swatches of
/// <see cref="RankScenario"/>. With "red" against "blue" the swatches score: red ≈ 1, magenta ≈ 0.8, green ≈ 0.5, blue ≈ 0.
/// </summary>
public sealed class RankOptionsTests : IDisposable
{
    private const string Red = "a photo of something red";
    private const string Blue = "a photo of something blue";

    private readonly RankScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private static JsonElement[] Candidates(JsonDocument doc) => [.. doc.RootElement.GetProperty("candidates").EnumerateArray()];

    private static string Id(JsonElement c) => c.GetProperty("id").GetString()!;

    private static string Status(JsonElement c) => c.GetProperty("status").GetString()!;

    private static string Reason(JsonElement c) => c.GetProperty("reason").GetString()!;

    private static double Score(JsonElement c) => c.GetProperty("score").GetDouble();

    private static JsonElement Settings(JsonDocument doc) => doc.RootElement.GetProperty("settings");

    private JsonDocument Results() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_scenario.OutFolder, "results.json")));

    [Fact]
    public async Task A_list_file_and_a_single_file_are_ranked_under_top_max_aspect_and_weights()
    {
        // A 3:1 banner passes the default --max-aspect 3 (exactly 3 passes) but not 2.
        var extra = Directory.CreateDirectory(Path.Combine(_scenario.Hub.Root, "extra")).FullName;
        var banner = Path.Combine(extra, "banner.png");
        File.WriteAllBytes(banner, RankScenario.Flat(230, 10, 10, 600, 200));
        // A list mixing a path relative to the list file, loopback URLs, a comment and a blank line.
        var list = Path.Combine(_scenario.Hub.Root, "list.txt");
        File.WriteAllLines(list,
        [
            "# swatches",
            "images/green.png",
            "",
            _scenario.Urls["magenta.png"].ToString(),
            _scenario.Urls["blue.png"].ToString(),
        ]);
        var red = Path.Combine(_scenario.ImageFolder, "red.png");

        var run = await _scenario.RunAsync(false, "rank", red, banner, "--list", list, "--allow-private-networks", "--model", HubScenario.Name,
            "-p", Red, "-n", Blue, "--top", "2", "--max-aspect", "2", "--weights", "clip=0.5,heuristics=0.1", "--out", _scenario.OutFolder);

        Assert.True(run.Exit == 0, run.Error);
        using var doc = Results();
        var candidates = Candidates(doc);
        Assert.Equal(
            new[] { red, banner, "images/green.png", _scenario.Urls["magenta.png"].ToString(), _scenario.Urls["blue.png"].ToString() }.Order(StringComparer.Ordinal),
            candidates.Select(Id).Order(StringComparer.Ordinal));
        JsonElement Find(string id) => candidates.Single(c => Id(c) == id);

        // The list's relative path was read from next to the list file; its URLs were fetched.
        Assert.Equal(new Uri(Path.Combine(_scenario.ImageFolder, "green.png")).AbsoluteUri, Find("images/green.png").GetProperty("source").GetString());
        Assert.Equal(320, Find(_scenario.Urls["magenta.png"].ToString()).GetProperty("width").GetInt32());
        Assert.Contains(_scenario.Hub.Hub.Requests, r => r.Path == "/img/magenta.png");

        // --max-aspect 2: the banner is filtered before embedding, with the aspect reason.
        Assert.Equal("filtered", Status(Find(banner)));
        Assert.Equal("heuristics", Find(banner).GetProperty("stage").GetString());
        Assert.Equal("aspect ratio 3 > 2", Reason(Find(banner)));

        // --top 2: exactly two ranked, the single file (red) then magenta; green and blue are cut with their rank.
        var counts = doc.RootElement.GetProperty("counts");
        Assert.Equal(5, counts.GetProperty("total").GetInt32());
        Assert.Equal(2, counts.GetProperty("ranked").GetInt32());
        Assert.Equal(3, counts.GetProperty("filtered").GetInt32());
        var ranked = candidates.Where(c => Status(c) == "ranked").ToList();
        Assert.Equal(2, ranked.Count);
        Assert.Equal(red, Id(ranked[0]));
        Assert.Equal(_scenario.Urls["magenta.png"].ToString(), Id(ranked[1]));
        Assert.Equal([1, 2], ranked.Select(c => c.GetProperty("rank").GetInt32()));
        var cut = candidates.Where(c => c.TryGetProperty("stage", out var s) && s.GetString() == "top-k").ToList();
        Assert.Equal(2, cut.Count);
        Assert.Equal(["rank 3 is beyond the top 2", "rank 4 is beyond the top 2"], cut.Select(Reason).Order(StringComparer.Ordinal));
        Assert.Equal("rank 4 is beyond the top 2", Reason(Find(_scenario.Urls["blue.png"].ToString()))); // blue scores lowest
        Assert.Equal(2, run.OutputLines.Count(l => l.StartsWith("1. ", StringComparison.Ordinal) || l.StartsWith("2. ", StringComparison.Ordinal)));

        // --weights clip=0.5: the CLIP term keeps its value (P ≈ 1 for red) and the score is half of it. The heuristics
        // weight names no term: the CLI's heuristics are filters, never score terms.
        foreach (var c in ranked)
        {
            var clip = Assert.Single(c.GetProperty("components").EnumerateArray());
            Assert.Equal("clip", clip.GetProperty("name").GetString());
            Assert.Equal(0.5, clip.GetProperty("weight").GetDouble());
            Assert.Equal(0.5 * clip.GetProperty("value").GetDouble(), Score(c), 1e-6);
        }

        Assert.True(ranked[0].GetProperty("components")[0].GetProperty("value").GetDouble() > 0.99);
        Assert.InRange(Score(ranked[0]), 0.49, 0.5);

        var settings = Settings(doc);
        Assert.Equal(2, settings.GetProperty("top").GetInt32());
        Assert.Equal(2.0, settings.GetProperty("maxAspect").GetDouble());
        Assert.Equal(200, settings.GetProperty("minSide").GetInt32());
        Assert.Equal(0.5, settings.GetProperty("weights").GetProperty("clip").GetDouble());
        Assert.Equal(0.1, settings.GetProperty("weights").GetProperty("heuristics").GetDouble(), 1e-6);
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("search").ValueKind);
    }

    [Fact]
    public async Task Diversity_ranks_a_different_colour_above_a_copy_of_the_best()
    {
        // Dedup off, so red and its near-identical copy both reach the diversifier; λ = 0.3 leans towards variety.
        var run = await _scenario.RunAsync(false, "rank", _scenario.ImageFolder, "--model", HubScenario.Name,
            "-p", Red, "-n", Blue, "--dedup", "0", "--diversity", "0.3", "--top", "2", "--out", _scenario.OutFolder);

        Assert.True(run.Exit == 0, run.Error);
        using var doc = Results();
        var candidates = Candidates(doc);
        JsonElement Find(string name) => candidates.Single(c => Path.GetFileName(Id(c)) == name);
        var ranked = candidates.Where(c => Status(c) == "ranked").ToList();
        Assert.Equal(2, ranked.Count);
        var first = Path.GetFileName(Id(ranked[0]));
        Assert.Contains(first, new[] { "red.png", "red-copy.png" });

        // Relevance alone would put the copy (score ≈ 1) second; MMR picks the colour least like red instead: green
        // (≈ 0.5, nearly orthogonal to red), not magenta (≈ 0.8, but half red) or blue (≈ 0).
        var copy = Find(first == "red.png" ? "red-copy.png" : "red.png");
        Assert.Equal("green.png", Path.GetFileName(Id(ranked[1])));
        Assert.True(Score(copy) > Score(ranked[1]) + 0.4, $"copy {Score(copy)}, second {Score(ranked[1])}");
        Assert.Equal("filtered", Status(copy));
        Assert.Equal("top-k", copy.GetProperty("stage").GetString());
        Assert.StartsWith("rank ", Reason(copy), StringComparison.Ordinal);
        Assert.EndsWith(" is beyond the top 2", Reason(copy), StringComparison.Ordinal);
        Assert.DoesNotContain(candidates, c => c.TryGetProperty("stage", out var s) && s.GetString() == "dedup");

        var settings = Settings(doc);
        Assert.Equal(0.3, settings.GetProperty("diversity").GetDouble(), 1e-6);
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("dedup").ValueKind); // 0 turns dedup off
        Assert.Equal(2, settings.GetProperty("top").GetInt32());
    }

    [Fact]
    public async Task A_threshold_filters_what_scores_below_it_and_the_zero_result_guard_keeps_the_best_flagged()
    {
        // 0.9: red passes (its copy is then a near-duplicate); magenta (≈ 0.8), green (≈ 0.5) and blue are filtered.
        var partial = await _scenario.RunAsync(false, "rank", _scenario.ImageFolder, "--model", HubScenario.Name,
            "-p", Red, "-n", Blue, "--threshold", "0.9", "--out", _scenario.OutFolder);

        Assert.True(partial.Exit == 0, partial.Error);
        using (var doc = Results())
        {
            var candidates = Candidates(doc);
            var ranked = Assert.Single(candidates, c => Status(c) == "ranked");
            Assert.Contains(Path.GetFileName(Id(ranked)), new[] { "red.png", "red-copy.png" });
            Assert.False(ranked.TryGetProperty("belowThreshold", out _));
            Assert.False(doc.RootElement.GetProperty("counts").GetProperty("zeroResult").GetBoolean());
            var below = candidates.Where(c => c.TryGetProperty("stage", out var s) && s.GetString() == "threshold").ToList();
            Assert.Equal(["blue.png", "green.png", "magenta.png"], below.Select(c => Path.GetFileName(Id(c))).Order(StringComparer.Ordinal));
            foreach (var c in below)
            {
                Assert.Equal("filtered", Status(c));
                Assert.True(Score(c) < 0.9);
                Assert.Equal($"score {c.GetProperty("score").GetSingle().ToString("0.###", CultureInfo.InvariantCulture)} < threshold 0.9", Reason(c));
            }

            Assert.Equal(0.9, Settings(doc).GetProperty("threshold").GetDouble(), 1e-6);
            Assert.Empty(doc.RootElement.GetProperty("warnings").EnumerateArray());
        }

        // 1.5: above every probability. Nothing passes, so (docs/scoring.md, zero-result guard) the best --top are
        // still returned, each flagged belowThreshold, with a warning; the rest are filtered with the threshold reason.
        var none = await _scenario.RunAsync(false, "rank", _scenario.ImageFolder, "--model", HubScenario.Name,
            "-p", Red, "-n", Blue, "--threshold", "1.5", "--top", "3", "--dedup", "0", "--out", _scenario.OutFolder);

        Assert.True(none.Exit == 0, none.Error);
        using (var doc = Results())
        {
            var candidates = Candidates(doc);
            var ranked = candidates.Where(c => Status(c) == "ranked").ToList();
            Assert.Equal(3, ranked.Count);
            Assert.All(ranked, c => Assert.True(c.GetProperty("belowThreshold").GetBoolean()));
            Assert.All(ranked, c => Assert.True(Score(c) < 1.5));
            Assert.True(doc.RootElement.GetProperty("counts").GetProperty("zeroResult").GetBoolean());
            var warning = Assert.Single(doc.RootElement.GetProperty("warnings").EnumerateArray()).GetString()!;
            Assert.Contains("threshold 1.5", warning, StringComparison.Ordinal);
            var blue = candidates.Single(c => Path.GetFileName(Id(c)) == "blue.png");
            Assert.Equal("threshold", blue.GetProperty("stage").GetString());
            Assert.EndsWith(" < threshold 1.5", Reason(blue), StringComparison.Ordinal);
            Assert.Equal(3, none.OutputLines.Count(l => l.Contains("(below threshold)", StringComparison.Ordinal)));
            Assert.Contains("note: " + warning, none.OutputLines);
        }
    }

    [Fact]
    public async Task Count_and_thumbnails_shape_the_search_and_no_cache_writes_no_embeddings()
    {
        // The loopback search lists four results; --count 2 keeps the first two, --thumbnails fetches their previews.
        var run = await _scenario.RunAsync(true, "rank", "--search", "red", "--openverse-url", _scenario.OpenverseBase.ToString(),
            "--count", "2", "--thumbnails", "--no-cache", "--allow-private-networks", "--model", HubScenario.Name,
            "-n", "blue", "--out", _scenario.OutFolder);

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains("searching Openverse for \"red\" (top 2)…", run.ErrorLines);
        using var doc = Results();
        var candidates = Candidates(doc);
        Assert.Equal(["openverse:id-red", "openverse:id-blue"], candidates.Select(Id));
        Assert.Equal(2, doc.RootElement.GetProperty("counts").GetProperty("total").GetInt32());

        // The thumbnails were scored: their URLs, their own (smaller) size; the full images were never requested.
        var red = candidates[0];
        Assert.Equal("ranked", Status(red));
        Assert.Equal(_scenario.ThumbnailUrls["red.png"].ToString(), red.GetProperty("source").GetString());
        Assert.Equal(RankScenario.ThumbnailWidth, red.GetProperty("width").GetInt32());
        Assert.Equal(RankScenario.ThumbnailHeight, red.GetProperty("height").GetInt32());
        Assert.Equal("CC BY-SA 2.0", red.GetProperty("license").GetString()); // the search's metadata still travels
        Assert.Contains(_scenario.Hub.Hub.Requests, r => r.Path == "/thumb/red.png");
        Assert.Contains(_scenario.Hub.Hub.Requests, r => r.Path == "/thumb/blue.png");
        Assert.DoesNotContain(_scenario.Hub.Hub.Requests, r => r.Path.StartsWith("/img/", StringComparison.Ordinal));
        Assert.DoesNotContain(_scenario.Hub.Hub.Requests, r => r.Path == "/thumb/green.png"); // beyond --count

        var settings = Settings(doc);
        Assert.Equal("red", settings.GetProperty("search").GetString());
        Assert.Equal(2, settings.GetProperty("count").GetInt32());
        Assert.True(settings.GetProperty("thumbnails").GetBoolean());

        // --no-cache: the persistent embedding cache (written by every other run with a cache root) stays empty.
        Assert.True(!Directory.Exists(_scenario.EmbeddingCache) || Directory.GetFiles(_scenario.EmbeddingCache, "*", SearchOption.AllDirectories).Length == 0,
            "the embedding cache was written despite --no-cache");
    }
}
