using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Cli.Tests.Rank;

/// <summary>
/// gallery.html in a real headless Chromium (Debian's package; .ci/run installs it): the rendered DOM lists every
/// candidate with its score or reason, each ranked card shows its score and breakdown as results.json has them, and a
/// screenshot shows the thumbnails (the red swatch ranked first is drawn).
/// </summary>
public sealed class GalleryBrowserTests : IDisposable
{
    private readonly RankScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    private static string? FindChromium()
    {
        var given = Environment.GetEnvironmentVariable("RICHSCORING_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(given) && File.Exists(given))
        {
            return given;
        }

        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<string> RunChromiumAsync(string chromium, string profile, params string[] args)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The flags keep a root, network-less headless Chromium from trying to reach anything.
        foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}" }.Concat(args))
        {
            start.ArgumentList.Add(flag);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return await stdout;
    }

    /// <summary>A results.json number as the gallery prints it.</summary>
    private static string Printed(JsonElement number) => number.GetSingle().ToString("0.###", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Chromium_renders_the_thumbnails_scores_and_reasons()
    {
        var chromium = FindChromium();
        if (chromium is null)
        {
            const string message = "Chromium is not installed (apt-get install chromium, or set RICHSCORING_CHROMIUM); .ci/run installs it.";
            if (Environment.GetEnvironmentVariable("RICHSCORING_REQUIRE_TEST_DATA") == "1")
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var run = await _scenario.RunAsync(false, "rank", _scenario.ImageFolder, "--model", Models.HubScenario.Name,
            "-p", "a photo of something red", "-n", "a photo of something blue", "--out", _scenario.OutFolder);
        Assert.True(run.Exit == 0, run.Error);
        var gallery = new Uri(Path.Combine(_scenario.OutFolder, "gallery.html")).AbsoluteUri;
        var profile = Directory.CreateTempSubdirectory("rs-chromium-").FullName;
        var screenshot = Path.Combine(profile, "gallery.png");
        try
        {
            var dom = await RunChromiumAsync(chromium, profile, "--dump-dom", gallery);
            await RunChromiumAsync(chromium, profile, "--window-size=1200,900", $"--screenshot={screenshot}", gallery);

            Assert.Contains("7 candidates", dom, StringComparison.Ordinal);
            Assert.Contains("<span class=\"rank\">#1</span>", dom, StringComparison.Ordinal);
            Assert.Contains("shortest side 60 px &lt; 200", dom, StringComparison.Ordinal);
            Assert.Contains("not an image: HTML document", dom, StringComparison.Ordinal);
            Assert.Contains("near-duplicate of", dom, StringComparison.Ordinal);
            foreach (var (name, _) in RankScenario.Images())
            {
                Assert.Contains(name + "\"", dom, StringComparison.Ordinal); // every candidate's data-id ends with its file name
            }

            // Every ranked card shows its rank, its score and its breakdown as results.json has them, to the page's
            // precision (up to three decimals): the clip term with its weight, the best positive and negative prompts.
            using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_scenario.OutFolder, "results.json")));
            var ranked = results.RootElement.GetProperty("candidates").EnumerateArray().Where(c => c.GetProperty("status").GetString() == "ranked").ToList();
            Assert.Equal(4, ranked.Count);
            var cards = Regex.Matches(dom, "<div class=\"card\" data-id=\"([^\"]*)\" data-rank=\"(\\d+)\">(.*?)</table>", RegexOptions.Singleline);
            Assert.Equal(ranked.Count, cards.Count);
            foreach (var c in ranked)
            {
                var id = c.GetProperty("id").GetString()!;
                var card = Assert.Single(cards, m => WebUtility.HtmlDecode(m.Groups[1].Value) == id);
                var body = card.Groups[3].Value;
                Assert.Equal(c.GetProperty("rank").GetInt32().ToString(CultureInfo.InvariantCulture), card.Groups[2].Value);
                Assert.Contains($"<span class=\"rank\">#{card.Groups[2].Value}</span>", body, StringComparison.Ordinal);
                Assert.Equal(Printed(c.GetProperty("score")), Regex.Match(body, "<span class=\"score\">([^<]*)</span>").Groups[1].Value);
                var clip = Assert.Single(c.GetProperty("components").EnumerateArray());
                Assert.Contains($"<tr><td>clip</td><td>{Printed(clip.GetProperty("value"))}</td><td class=\"muted\">× {Printed(clip.GetProperty("weight"))}</td></tr>",
                    body, StringComparison.Ordinal);
                var positive = c.GetProperty("bestPositive");
                Assert.Equal("a photo of something red", positive.GetProperty("prompt").GetString());
                Assert.Contains($"<td class=\"pos\">best +</td><td colspan=\"2\">a photo of something red (cos {Printed(positive.GetProperty("similarity"))})</td>",
                    body, StringComparison.Ordinal);
                var negative = c.GetProperty("bestNegative");
                Assert.Contains($"<td class=\"neg\">best −</td><td colspan=\"2\">a photo of something blue (cos {Printed(negative.GetProperty("similarity"))})</td>",
                    body, StringComparison.Ordinal);
            }

            // The page was drawn: the first card's thumbnail is the red swatch.
            using var image = Image.Load<Rgb24>(screenshot);
            var red = 0;
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    foreach (var p in rows.GetRowSpan(y))
                    {
                        red += p.R > 180 && p.G < 70 && p.B < 70 ? 1 : 0;
                    }
                }
            });
            Assert.True(red > 5_000, $"only {red} red pixels in the screenshot");

            // Maintainers refresh docs/gallery.png from here: RICHSCORING_GALLERY_SCREENSHOT=<path> dotnet test …
            if (Environment.GetEnvironmentVariable("RICHSCORING_GALLERY_SCREENSHOT") is { Length: > 0 } keep)
            {
                File.Copy(screenshot, keep, overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
