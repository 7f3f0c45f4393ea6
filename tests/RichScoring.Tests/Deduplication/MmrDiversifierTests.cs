using static RichScoring.Tests.Deduplication.DedupData;

namespace RichScoring.Tests.Deduplication;

public class MmrDiversifierTests
{
    /// <summary>a = e0 (0.9), b at cos 0.98 to a (0.85), c = e1 (0.5), d = (0.6, 0.8) (0.7).</summary>
    private static DeduplicationRequest HandRequest() => Request(
        ToFloats([1, 0], [0.98, Math.Sqrt(1 - (0.98 * 0.98))], [0, 1], [0.6, 0.8]), 2, scores: [0.9f, 0.85f, 0.5f, 0.7f]);

    private static async Task<DeduplicationResult> Run(DeduplicationRequest request, MmrDiversifierOptions? options = null) =>
        await new MmrDiversifier(options).DeduplicateAsync(request, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Hand_example_with_raw_scores()
    {
        // Pick 1: a (best score). Pick 2: b 0.425 − 0.49 = −0.065, c 0.25 − 0 = 0.25, d 0.35 − 0.30 = 0.05 → c.
        // Pick 3: b max(0.98, 0.199) → −0.065; d max(0.6, 0.8) → 0.35 − 0.40 = −0.05 → d. Then b.
        var result = await Run(HandRequest(), new MmrDiversifierOptions { NormalizeScores = false, TopK = 4 });
        Assert.Equal([0, 2, 3, 1], result.Kept);
        Assert.Equal(4, result.SelectedCount);
        Assert.Empty(result.Removed);
    }

    [Fact]
    public async Task Hand_example_with_scaled_scores()
    {
        // Scores scale to 1, 0.875, 0, 0.5. Pick 2: b 0.4375 − 0.49 = −0.0525, c 0, d 0.25 − 0.3 = −0.05 → c.
        // Pick 3: b −0.0525, d 0.25 − 0.4 = −0.15 → b. Then d.
        var result = await Run(HandRequest(), new MmrDiversifierOptions { TopK = 4 });
        Assert.Equal([0, 2, 1, 3], result.Kept);
    }

    [Fact]
    public async Task Unpicked_candidates_follow_the_picked_in_rank_order()
    {
        var result = await Run(HandRequest(), new MmrDiversifierOptions { NormalizeScores = false, TopK = 2 });
        Assert.Equal([0, 2, 1, 3], result.Kept);
        Assert.Equal(2, result.SelectedCount);
        Assert.Empty(result.Removed);

        // λ = 1 is the ranking itself.
        var byScore = await Run(HandRequest(), new MmrDiversifierOptions { Lambda = 1, TopK = 3 });
        Assert.Equal([0, 1, 3, 2], byScore.Kept);
        Assert.Equal(3, byScore.SelectedCount);
    }

    [Fact]
    public async Task Lambda_one_gives_the_top_k_by_score_with_ties_to_the_earlier()
    {
        const int count = 300;
        var random = new Random(7);
        var scores = Enumerable.Range(0, count).Select(_ => random.Next(40) / 40f).ToArray(); // many ties
        var rows = PlantedDuplicates(count, 33, 0.3, seed: 8);
        var result = await Run(Request(rows, 33, scores), new MmrDiversifierOptions { Lambda = 1, TopK = 25 });

        var expected = Enumerable.Range(0, count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(25);
        Assert.Equal(expected, result.Kept.Take(25));
        Assert.Equal(25, result.SelectedCount);
    }

    [Fact]
    public async Task Lambda_zero_picks_the_best_then_spreads_out()
    {
        const int count = 400, dimension = 24;
        var rows = PlantedDuplicates(count, dimension, 0.4, seed: 9);
        var scores = RandomScores(count, 10);
        var cosines = DedupReference.Cosines(rows, dimension);
        var result = await Run(Request(rows, dimension, scores), new MmrDiversifierOptions { Lambda = 0, TopK = 30 });

        var picks = result.Kept.Take(30).ToList();
        Assert.Equal(Array.IndexOf(scores, scores.Max()), picks[0]);
        for (var step = 1; step < picks.Count; step++)
        {
            // Each pick has the smallest max-similarity to the earlier picks among all candidates not yet picked.
            var chosen = picks.Take(step).ToList();
            double MaxSimilarity(int i) => chosen.Max(j => cosines[i, j]);
            var smallest = Enumerable.Range(0, count).Where(i => !chosen.Contains(i)).Min(MaxSimilarity);
            Assert.Equal(smallest, MaxSimilarity(picks[step]), 1e-6);
        }
    }

    [Theory]
    [InlineData(500, 64, 0.5f, 20, true, 1)]
    [InlineData(500, 64, 0.3f, 20, false, 2)]
    [InlineData(600, 100, 0.7f, 30, true, 3)]
    [InlineData(300, 512, 0.5f, 12, true, 4)]
    [InlineData(800, 512, 0.6f, 40, false, 5)]
    [InlineData(700, 37, 0.9f, 50, true, 6)]
    public async Task Matches_the_reference_implementation(int count, int dimension, float lambda, int topK, bool normalize, int seed)
    {
        var rows = PlantedDuplicates(count, dimension, 0.3, seed);
        var scores = RandomScores(count, seed + 50, scale: normalize ? 100 : 1);
        var cosines = DedupReference.Cosines(rows, dimension);
        var (expected, gap) = DedupReference.Mmr(cosines, scores, lambda, topK, normalize);
        Assert.True(gap > 1e-5, $"the data must be unambiguous in float (gap {gap})");

        var result = await Run(Request(rows, dimension, scores), new MmrDiversifierOptions { Lambda = lambda, TopK = topK, NormalizeScores = normalize });

        Assert.Equal(expected, result.Kept.Take(topK));
        Assert.Equal(topK, result.SelectedCount);
        Assert.Equal(Enumerable.Range(0, count).Except(expected).Order(), result.Kept.Skip(topK));
    }

    [Fact]
    public async Task Diversity_skips_the_near_duplicates_that_plain_ranking_keeps()
    {
        // Ten tight clusters of ten around orthogonal axes; scores descend cluster by cluster, so the top 10 by score
        // are all one cluster, while MMR takes one from each.
        const int clusters = 10, size = 10, dimension = 128;
        var random = new Random(4);
        var rows = new List<double[]>();
        for (var c = 0; c < clusters; c++)
        {
            for (var m = 0; m < size; m++)
            {
                rows.Add(AtCosine(random, Axis(dimension, c), 0.995));
            }
        }

        var request = Request(ToFloats(rows.ToArray()), dimension, DescendingScores(clusters * size));
        var diverse = await Run(request, new MmrDiversifierOptions { TopK = clusters });
        Assert.Equal(0, diverse.Kept[0]);
        Assert.Equal(Enumerable.Range(0, clusters), diverse.Kept.Take(clusters).Select(i => i / size).Order()); // one per cluster

        var ranked = await Run(request, new MmrDiversifierOptions { TopK = clusters, Lambda = 1 });
        Assert.Equal(Enumerable.Range(0, clusters), ranked.Kept.Take(clusters));
    }

    [Fact]
    public async Task Small_requests_pick_everything()
    {
        var empty = await Run(new DeduplicationRequest([], [], EmbeddingBatch.Create(0, 3, Model)));
        Assert.Empty(empty.Kept);
        Assert.Equal(0, empty.SelectedCount);

        var single = await Run(Request([0f, 1f, 0f], 3));
        Assert.Equal([0], single.Kept);
        Assert.Equal(1, single.SelectedCount);

        var fewer = await Run(HandRequest(), new MmrDiversifierOptions { TopK = 100 });
        Assert.Equal(4, fewer.SelectedCount);
        Assert.Equal([0, 1, 2, 3], fewer.Kept.Order());
    }

    [Fact]
    public async Task Broken_scores_and_embeddings_are_defined()
    {
        // A NaN score counts as the lowest finite one (c2 ties c4 at 0.7 and, being earlier, goes first); +∞ as the
        // highest finite one (c1 ties c0 at 0.9 and goes after it).
        var scores = new[] { 0.9f, float.PositiveInfinity, float.NaN, 0.8f, 0.7f };
        var rows5 = ToFloats([1, 0], [0, 1], [1, 1], [1, -1], [2, 1]);
        var byScore = await Run(Request(rows5, 2, scores), new MmrDiversifierOptions { Lambda = 1, TopK = 5 });
        Assert.Equal([0, 1, 3, 2, 4], byScore.Kept);

        // A NaN embedding counts as cosine 0 to everything: with λ = 0 it is as novel as an orthogonal vector.
        var rows = ToFloats([1, 0, 0], [1, 0, 0], [0.5, 0.5, 0], [0, 1, 0]);
        rows[1 * 3] = float.NaN;
        var broken = await Run(Request(rows, 3, [1f, 0.9f, 0.8f, 0.7f]), new MmrDiversifierOptions { Lambda = 0, TopK = 3 });
        Assert.Equal([0, 1, 3, 2], broken.Kept); // c1 (cos 0) ties c3 (cos 0) and is earlier; c2 has cos 0.71
    }

    [Fact]
    public void Relevance_scaling_is_min_max_over_finite_scores()
    {
        Assert.Equal([1f, 0f, 0.5f, 0f, 1f], MmrDiversifier.Relevance([10f, 2f, 6f, float.NaN, float.PositiveInfinity], normalize: true));
        Assert.Equal([10f, 2f, 6f, 2f, 10f], MmrDiversifier.Relevance([10f, 2f, 6f, float.NaN, float.PositiveInfinity], normalize: false));
        Assert.Equal([1f, 1f], MmrDiversifier.Relevance([3f, 3f], normalize: true));
        Assert.Equal([0f, 0f], MmrDiversifier.Relevance([float.NaN, float.NaN], normalize: true));
    }

    [Fact]
    public async Task The_callers_batch_is_left_unchanged_and_concurrent_calls_agree()
    {
        var rows = PlantedDuplicates(300, 20, 0.3, seed: 12);
        var copy = rows.ToArray();
        var request = Request(rows, 20, RandomScores(300, 13));
        var diversifier = new MmrDiversifier(new MmrDiversifierOptions { TopK = 15 });
        var serial = await diversifier.DeduplicateAsync(request, TestContext.Current.CancellationToken);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await diversifier.DeduplicateAsync(request, TestContext.Current.CancellationToken))));

        Assert.Equal(copy, rows);
        Assert.False(request.Embeddings.IsNormalized);
        Assert.All(concurrent, c => Assert.Equal(serial.Kept, c.Kept));
    }

    [Fact]
    public async Task Cancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var task = new MmrDiversifier().DeduplicateAsync(HandRequest(), cts.Token).AsTask();
        Assert.True(task.IsCanceled);

        // The internal entry skips the up-front check: the pick loop itself notices.
        Assert.Throws<OperationCanceledException>(() => new MmrDiversifier().Diversify(HandRequest(), cts.Token));
    }

    [Theory]
    [InlineData(-0.01f, 12)]
    [InlineData(1.01f, 12)]
    [InlineData(float.NaN, 12)]
    [InlineData(0.5f, 0)]
    public void Options_are_validated(float lambda, int topK)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MmrDiversifier(new MmrDiversifierOptions { Lambda = lambda, TopK = topK }));
    }

    [Fact]
    public void Options_are_copied_with_their_defaults()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MmrDiversifier(new MmrDiversifierOptions { MaxDegreeOfParallelism = 0 }));
        var options = new MmrDiversifierOptions { Lambda = 0, TopK = 3 };
        var diversifier = new MmrDiversifier(options);
        options.Lambda = 1;
        Assert.Equal(0f, diversifier.Lambda);
        Assert.Equal(3, diversifier.TopK);
        Assert.Equal(0.5f, new MmrDiversifier().Lambda);
        Assert.Equal(12, new MmrDiversifier().TopK);
        Assert.True(new MmrDiversifierOptions().NormalizeScores);
        Assert.Same(diversifier, diversifier.GetService(typeof(MmrDiversifier)));
    }
}
