using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace RichScoring.Tests.Caching;

public class PipelineCachingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Twelve candidates of various colours (distinct bytes; another <paramref name="set"/> gives other bytes) plus one that is not an image.</summary>
    internal static Candidate[] Candidates(int count = 12, int set = 0) =>
    [
        .. Enumerable.Range(0, count).Select(i => Candidate.FromBytes("c" + i, RgbImageEncoder.Image((byte)(i * 21), (byte)(i * 7 % 256), (byte)(255 - (i * 21)), seed: i + (1000 * set)))),
        Candidate.FromBytes("not-an-image", "<html>404</html>"u8.ToArray()),
    ];

    internal static ScoringPipelineBuilder Builder(RgbTextEncoder text, RgbImageEncoder image) => Configure(new ScoringPipelineBuilder(), text, image);

    internal static ScoringPipelineBuilder Configure(ScoringPipelineBuilder builder, RgbTextEncoder text, RgbImageEncoder image) =>
        builder.UseEncoders(text, image).WithPositive("red").WithNegative("blue").TopK(20);

    /// <summary>What a caller sees of a result: every outcome's id, status, rank and score, in order.</summary>
    internal static List<(string Id, CandidateStatus Status, int? Rank, float? Score)> Summary(ScoringResult result) =>
        [.. result.Outcomes.Select(o => (o.Candidate.Id, o.Status, o.Rank, o.Score))];

    [Fact]
    public async Task By_default_a_repeated_query_encodes_no_image_twice()
    {
        var text = new RgbTextEncoder();
        var image = new RgbImageEncoder();
        using var pipeline = Builder(text, image).Build();

        var first = await pipeline.ScoreAsync(Candidates(), cancellationToken: Ct);
        var second = await pipeline.ScoreAsync(Candidates(), cancellationToken: Ct);

        Assert.Equal(14, image.ImagesEncoded); // 12 images and the bad one; the bad one is not cached, so it is sent again
        Assert.Equal(2, text.TextsEncoded);
        Assert.Equal(Summary(first), Summary(second));
        Assert.Equal(12, second.Ranked.Count);
        Assert.Equal(CandidateStatus.Failed, second.Outcomes.Single(o => o.Candidate.Id == "not-an-image").Status);
        var caching = Assert.IsType<CachingImageEncoder>(pipeline.ImageEncoder);
        Assert.Equal(12, caching.Hits);
    }

    [Fact]
    public async Task A_directory_cache_serves_the_next_run_of_a_new_pipeline()
    {
        var root = Path.Combine(Path.GetTempPath(), "richscoring-cache-tests", Guid.NewGuid().ToString("N"));
        try
        {
            ScoringResult first;
            using (var run1 = Builder(new RgbTextEncoder(), new RgbImageEncoder()).UseEmbeddingCache(new DirectoryEmbeddingCache(root)).Build())
            {
                first = await run1.ScoreAsync(Candidates(), cancellationToken: Ct);
            }

            var text = new RgbTextEncoder();
            var image = new RgbImageEncoder();
            var cache = new TieredEmbeddingCache(new MemoryEmbeddingCache(), new DirectoryEmbeddingCache(root));
            using var run2 = Builder(text, image).UseEmbeddingCache(cache).Build();
            var second = await run2.ScoreAsync(Candidates(), cancellationToken: Ct);

            Assert.Equal(1, image.ImagesEncoded); // only the one that is not an image
            Assert.Equal(0, text.TextsEncoded);
            Assert.Equal(Summary(first), Summary(second));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Two_hosts_share_embeddings_through_the_registered_distributed_cache()
    {
        var shared = new ControllableDistributedCache();
        var hosts = Enumerable.Range(0, 2).Select(_ => new { Text = new RgbTextEncoder(), Image = new RgbImageEncoder() }).ToArray();
        var providers = hosts.Select(h =>
        {
            var services = new ServiceCollection();
            services.AddSingleton<IDistributedCache>(shared);
            services.AddRichScoring(b => Configure(b, h.Text, h.Image).UseDistributedCache(o => o.KeyPrefix = "shared-test:"));
            return services.BuildServiceProvider();
        }).ToArray();

        try
        {
            var first = await providers[0].GetRequiredService<ScoringPipeline>().ScoreAsync(Candidates(), cancellationToken: Ct);
            var second = await providers[1].GetRequiredService<ScoringPipeline>().ScoreAsync(Candidates(), cancellationToken: Ct);

            Assert.Equal(13, hosts[0].Image.ImagesEncoded);
            Assert.Equal(1, hosts[1].Image.ImagesEncoded); // only the bad file, which is never cached
            Assert.Equal(0, hosts[1].Text.TextsEncoded);
            Assert.Equal(Summary(first), Summary(second));
        }
        finally
        {
            foreach (var p in providers)
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public void UseDistributedCache_without_a_registered_cache_fails_the_build_with_a_clear_message()
    {
        var builder = Builder(new RgbTextEncoder(), new RgbImageEncoder()).UseDistributedCache();

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build(new ServiceCollection().BuildServiceProvider()));

        Assert.Contains("AddStackExchangeRedisCache", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Builder(new RgbTextEncoder(), new RgbImageEncoder()).UseDistributedCache(o => o.Timeout = TimeSpan.Zero).Validate());
    }
}
