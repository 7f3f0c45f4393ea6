using System.Text.Json;
using System.Text.RegularExpressions;
using RichScoring.Cli.Tests.Models;

namespace RichScoring.Cli.Tests.Rank;

/// <summary>`richscore rank` end to end: the colour model fetched from a loopback hub, images from a folder and from loopback URLs.</summary>
public sealed class RankCommandTests : IDisposable
{
    private readonly RankScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private static JsonElement[] Candidates(JsonDocument doc) => [.. doc.RootElement.GetProperty("candidates").EnumerateArray()];

    private static string Id(JsonElement c) => c.GetProperty("id").GetString()!;

    private static string Status(JsonElement c) => c.GetProperty("status").GetString()!;

    private JsonDocument Results() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_scenario.OutFolder, "results.json")));

    private string Gallery() => File.ReadAllText(Path.Combine(_scenario.OutFolder, "gallery.html"));

    [Fact]
    public async Task A_folder_is_ranked_offline_with_a_model_fetched_from_the_hub_on_first_use()
    {
        var run = await _scenario.RunAsync(false, "rank", _scenario.ImageFolder, "--model", HubScenario.Name,
            "-p", "a photo of something red", "-n", "a photo of something blue", "--out", _scenario.OutFolder);

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains(_scenario.Hub.Hub.Requests, r => r.Path.Contains("vision_model_quantized.onnx", StringComparison.Ordinal)); // downloaded on first use
        using var doc = Results();
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("a photo of something red", root.GetProperty("query").GetProperty("positive")[0].GetString());
        Assert.Equal("a photo of something blue", root.GetProperty("query").GetProperty("negative")[0].GetString());
        Assert.Equal(HubScenario.Name, root.GetProperty("settings").GetProperty("model").GetString());
        Assert.False(root.GetProperty("settings").TryGetProperty("logitScale", out _)); // only recorded when given
        Assert.False(root.GetProperty("settings").TryGetProperty("logitBias", out _));

        var candidates = Candidates(doc);
        var counts = root.GetProperty("counts");
        Assert.Equal(7, counts.GetProperty("total").GetInt32());
        Assert.Equal(7, candidates.Length);
        Assert.Equal(7, counts.GetProperty("ranked").GetInt32() + counts.GetProperty("filtered").GetInt32() + counts.GetProperty("failed").GetInt32());

        var ranked = candidates.Where(c => Status(c) == "ranked").ToList();
        var best = Path.GetFileName(Id(ranked[0]));
        Assert.Contains(best, new[] { "red.png", "red-copy.png" }); // two near-identical reds: one ranks, the other is its duplicate
        Assert.EndsWith("blue.png", Id(ranked[^1]), StringComparison.Ordinal);
        Assert.Equal(1, ranked[0].GetProperty("rank").GetInt32());
        Assert.Equal("a photo of something red", ranked[0].GetProperty("bestPositive").GetProperty("prompt").GetString());
        Assert.True(ranked[0].GetProperty("score").GetSingle() > 0.9f);

        JsonElement Find(string name) => candidates.Single(c => Path.GetFileName(Id(c)) == name);
        Assert.Equal("shortest side 60 px < 200", Find("tiny-red.png").GetProperty("reason").GetString());
        Assert.Equal("failed", Status(Find("not-an-image.png")));
        Assert.Equal("not an image: HTML document", Find("not-an-image.png").GetProperty("reason").GetString());
        var copy = Find(best == "red.png" ? "red-copy.png" : "red.png");
        Assert.Equal("filtered", Status(copy));
        Assert.StartsWith("near-duplicate of " + Id(ranked[0]), copy.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var gallery = Gallery();
        foreach (var c in candidates)
        {
            Assert.Contains($"data-id=\"{System.Net.WebUtility.HtmlEncode(Id(c))}\"", gallery, StringComparison.Ordinal);
        }

        Assert.Contains("near-duplicate of", gallery, StringComparison.Ordinal);
        Assert.Contains("data:image/jpeg;base64,", gallery, StringComparison.Ordinal);
        Assert.Contains("gallery: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("  1. ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_progress_goes_to_stderr_and_each_ranked_breakdown_adds_up_to_its_score()
    {
        var run = await _scenario.RunAsync(false, "rank", _scenario.ImageFolder, "--model", HubScenario.Name,
            "-p", "a photo of something red", "-n", "a photo of something blue", "--out", _scenario.OutFolder);

        Assert.True(run.Exit == 0, run.Error);

        // Not a terminal: one line per finished stage, in pipeline order. 7 files read; 7 identified (one of them is
        // HTML and fails there); the 60 px one is filtered before embedding, so 5 embedded and scored; 4 left after dedup.
        Assert.Contains("scoring 7 candidates with " + HubScenario.Name + "…", run.ErrorLines);
        string[] stages = [.. run.ErrorLines.Where(l => Regex.IsMatch(l, @"^(fetch|decode|embed|score|dedup): \d+/\d+$"))];
        Assert.Equal(["fetch: 7/7", "decode: 7/7", "embed: 5/5", "score: 5/5", "dedup: 4/4"], stages);
        Assert.DoesNotContain(run.OutputLines, l => l.StartsWith("fetch: ", StringComparison.Ordinal)); // progress is not on stdout

        // docs/scoring.md: the combined score is Σ weight · value over the components; with negative prompts the CLIP
        // term is P(wanted) = softmax over all prompts at the model's logit scale (100 here), which for one positive
        // and one negative prompt is 1 / (1 + e^−100·(cos⁺ − cos⁻)). The CLI's heuristics are filters, so they add no term.
        using var doc = Results();
        var ranked = Candidates(doc).Where(c => Status(c) == "ranked").ToList();
        Assert.Equal(4, ranked.Count);
        foreach (var c in ranked)
        {
            var components = c.GetProperty("components").EnumerateArray().ToList();
            var clip = Assert.Single(components);
            Assert.Equal("clip", clip.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Number, clip.GetProperty("value").ValueKind);
            Assert.Equal(JsonValueKind.Number, clip.GetProperty("weight").ValueKind);
            Assert.Equal(1.0, clip.GetProperty("weight").GetDouble());
            var combined = components.Sum(x => x.GetProperty("weight").GetDouble() * x.GetProperty("value").GetDouble());
            Assert.Equal(c.GetProperty("score").GetDouble(), combined, 1e-6);

            var positive = c.GetProperty("bestPositive");
            var negative = c.GetProperty("bestNegative");
            Assert.Equal("a photo of something red", positive.GetProperty("prompt").GetString());
            Assert.Equal("a photo of something blue", negative.GetProperty("prompt").GetString());
            var margin = positive.GetProperty("similarity").GetDouble() - negative.GetProperty("similarity").GetDouble();
            Assert.Equal(1 / (1 + Math.Exp(-100 * margin)), clip.GetProperty("value").GetDouble(), 1e-3);
        }

        // The swatches span the range: red is nearly certain, blue nearly excluded, and the order follows the score.
        Assert.True(ranked[0].GetProperty("score").GetDouble() > 0.99, ranked[0].GetRawText());
        Assert.True(ranked[^1].GetProperty("score").GetDouble() < 0.01, ranked[^1].GetRawText());
        var scores = ranked.Select(c => c.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task Urls_and_a_search_are_fetched_from_loopback_with_the_guard_relaxed_and_licences_carried()
    {
        var run = await _scenario.RunAsync(false, "rank", "--search", "red", "--openverse-url", _scenario.OpenverseBase.ToString(),
            _scenario.Urls["magenta.png"].ToString(), "--allow-private-networks", "--model", HubScenario.Name,
            "-n", "blue", "--out", _scenario.OutFolder, "--min-side", "0");

        Assert.True(run.Exit == 0, run.Error);
        using var doc = Results();
        var candidates = Candidates(doc);
        Assert.Equal(5, candidates.Length); // one URL + four search results
        var top = candidates.First(c => Status(c) == "ranked");
        Assert.Equal("openverse:id-red", Id(top));
        Assert.Equal("CC BY-SA 2.0", top.GetProperty("license").GetString());
        Assert.Equal("Tester", top.GetProperty("creator").GetString());
        Assert.Equal("red (reference, 7 templates)", doc.RootElement.GetProperty("query").GetProperty("positive")[0].GetString());
        Assert.Equal("not an image: HTML document", candidates.Single(c => Id(c) == "openverse:id-not-an-image").GetProperty("reason").GetString());

        var gallery = Gallery();
        Assert.Contains("CC BY-SA 2.0", gallery, StringComparison.Ordinal);
        Assert.Contains("https://www.flickr.com/photos/x/red.png", gallery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_flag_the_ssrf_guard_refuses_loopback_urls()
    {
        var run = await _scenario.RunAsync(false, "rank", _scenario.Urls["red.png"].ToString(), "--model", HubScenario.Name,
            "-p", "red", "--out", _scenario.OutFolder);

        Assert.True(run.Exit == 0, run.Error);
        using var doc = Results();
        var only = Candidates(doc).Single();
        Assert.Equal("failed", Status(only));
        Assert.Equal("refused: 127.0.0.1 is a loopback address", only.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_rerun_reads_embeddings_from_the_persistent_cache()
    {
        string[] args = ["rank", _scenario.ImageFolder, "--model", HubScenario.Name, "-p", "red", "-n", "blue", "--out", _scenario.OutFolder];
        var first = await _scenario.RunAsync(true, args);
        var cached = Directory.GetFiles(_scenario.EmbeddingCache, "*", SearchOption.AllDirectories).Length;
        var firstJson = Candidates(Results()).Select(c => (Id(c), c.TryGetProperty("score", out var s) ? s.GetSingle() : float.NaN)).ToList();

        var second = await _scenario.RunAsync(true, args);
        var secondJson = Candidates(Results()).Select(c => (Id(c), c.TryGetProperty("score", out var s) ? s.GetSingle() : float.NaN)).ToList();

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, second.Exit);
        Assert.True(cached >= 5, $"{cached} cache files"); // the embedded images and the prompts
        Assert.Equal(cached, Directory.GetFiles(_scenario.EmbeddingCache, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(firstJson, secondJson);
    }

    [Theory]
    [InlineData(new[] { "rank", "-p", "red" }, "Nothing to rank")]
    [InlineData(new[] { "rank", ".", "--template-set", "fancy" }, "--template-set: unknown set 'fancy'")]
    [InlineData(new[] { "rank", "/no/such/folder", "-p", "x" }, "/no/such/folder")]
    [InlineData(new[] { "rank", ".", "-p", "x", "--weights", "clip" }, "--weights: 'clip' is not name=number")]
    public async Task Bad_input_gives_one_clean_error_line(string[] args, string expected)
    {
        var run = await _scenario.RunAsync(false, [.. args, "--model", HubScenario.Name]);

        Assert.Equal(1, run.Exit);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal); // no stack trace without --verbose
    }
}
