using System.Text.Json.Nodes;
using RichScoring.Cli.Models;
using RichScoring.Cli.Tests.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace RichScoring.Cli.Tests.Rank;

/// <summary>
/// A hub scenario (the colour model published on a loopback hub) plus images: a folder of generated files, the same
/// images served over loopback, and an Openverse-format search endpoint listing them (with smaller thumbnails at URLs
/// of their own).
/// </summary>
internal sealed class RankScenario : IDisposable
{
    public RankScenario()
    {
        Hub = new HubScenario();
        ImageFolder = Path.Combine(Hub.Root, "images");
        Directory.CreateDirectory(ImageFolder);
        OutFolder = Path.Combine(Hub.Root, "out");
        EmbeddingCache = Path.Combine(Hub.Root, "embeddings");
        foreach (var (name, bytes) in Images())
        {
            File.WriteAllBytes(Path.Combine(ImageFolder, name), bytes);
            Urls[name] = Hub.Hub.AddStatic("/img/" + name, bytes, "image/png");
        }

        // Openverse's previews: the same swatches, smaller (280 × 210), at their own URLs, so --thumbnails shows.
        foreach (var name in new[] { "red.png", "blue.png", "green.png" })
        {
            var full = Images().Single(i => i.Name == name).Bytes;
            using var image = Image.Load<Rgb24>(full);
            var colour = image[0, 0];
            ThumbnailUrls[name] = Hub.Hub.AddStatic("/thumb/" + name, Flat(colour.R, colour.G, colour.B, ThumbnailWidth, ThumbnailHeight), "image/png");
        }

        ThumbnailUrls["not-an-image.png"] = Hub.Hub.AddStatic("/thumb/not-an-image.png", Images().Single(i => i.Name == "not-an-image.png").Bytes, "image/png");

        var results = new JsonArray();
        foreach (var name in new[] { "red.png", "blue.png", "green.png", "not-an-image.png" })
        {
            results.Add(new JsonObject
            {
                ["id"] = "id-" + Path.GetFileNameWithoutExtension(name),
                ["title"] = "Swatch " + name,
                ["url"] = Urls[name].ToString(),
                ["thumbnail"] = ThumbnailUrls[name].ToString(),
                ["width"] = 320,
                ["height"] = 240,
                ["source"] = "flickr",
                ["foreign_landing_url"] = "https://www.flickr.com/photos/x/" + name,
                ["creator"] = "Tester",
                ["creator_url"] = "https://www.flickr.com/people/tester",
                ["license"] = "by-sa",
                ["license_version"] = "2.0",
                ["license_url"] = "https://creativecommons.org/licenses/by-sa/2.0/",
            });
        }

        var page = new JsonObject { ["result_count"] = 4, ["page_count"] = 1, ["page_size"] = 20, ["page"] = 1, ["results"] = results };
        Hub.Hub.AddStatic("/v1/images/", System.Text.Encoding.UTF8.GetBytes(page.ToJsonString()), "application/json");
    }

    public const int ThumbnailWidth = 280;

    public const int ThumbnailHeight = 210;

    public HubScenario Hub { get; }

    public string ImageFolder { get; }

    public string OutFolder { get; }

    public string EmbeddingCache { get; }

    public Dictionary<string, Uri> Urls { get; } = new(StringComparer.Ordinal);

    /// <summary>The search results' "thumbnail" URLs (smaller copies of the swatches).</summary>
    public Dictionary<string, Uri> ThumbnailUrls { get; } = new(StringComparer.Ordinal);

    public Uri OpenverseBase => Hub.Hub.Endpoint;

    public static IEnumerable<(string Name, byte[] Bytes)> Images()
    {
        yield return ("red.png", Flat(230, 10, 10, 320, 240));
        yield return ("blue.png", Flat(0, 0, 230, 320, 240));
        yield return ("green.png", Flat(0, 200, 0, 320, 240));
        yield return ("magenta.png", Flat(220, 0, 220, 320, 240));
        yield return ("red-copy.png", Flat(231, 11, 9, 300, 225));
        yield return ("tiny-red.png", Flat(230, 10, 10, 90, 60));
        yield return ("not-an-image.png", "<!doctype html><html><body>gone</body></html>"u8.ToArray());
    }

    public static byte[] Flat(byte r, byte g, byte b, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(r, g, b));
        using var ms = new MemoryStream();
        image.SaveAsPng(ms);
        return ms.ToArray();
    }

    public async Task<CliRun> RunAsync(bool persistentCache, params string[] args)
    {
        using var services = new ModelServices(Hub.Catalogue, () => Hub.Options()) { EmbeddingCacheRoot = persistentCache ? EmbeddingCache : null };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, services, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public void Dispose() => Hub.Dispose();
}
