using static RichScoring.Tests.Deduplication.DedupData;

namespace RichScoring.Tests.Deduplication;

public class NearDuplicateRemoverTests
{
    private const int D = 8;

    /// <summary>
    /// c0, c2: cos 0.98 (a pair). c1 ~ c3 ~ c4 at cos 0.96 each step, c1 to c4 cos 0.8432 (a chain). c5 alone.
    /// Every cross-group cosine is 0 (orthogonal axes).
    /// </summary>
    private static float[] HandRows()
    {
        var theta = Math.Acos(0.96);
        return ToFloats(
            Axis(D, 0),
            Axis(D, 2),
            InPlane(D, 0, 1, Math.Acos(0.98)),
            InPlane(D, 2, 3, theta),
            InPlane(D, 2, 3, 2 * theta),
            Axis(D, 4));
    }

    private static async Task<DeduplicationResult> Run(DeduplicationRequest request, NearDuplicateRemoverOptions? options = null) =>
        await new NearDuplicateRemover(options).DeduplicateAsync(request, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Hand_example_keeps_the_best_score_of_each_connected_group()
    {
        var result = await Run(Request(HandRows(), D, scores: [0.9f, 0.8f, 0.85f, 0.8f, 0.7f, 0.1f]));

        Assert.Equal([0, 1, 5], result.Kept);
        Assert.Equal(3, result.SelectedCount);
        Assert.Equal([2, 3, 4], result.Removed.Select(r => r.Index));
        Assert.Equal([0, 1, 1], result.Removed.Select(r => r.DuplicateOfIndex)); // c1 and c3 tie at 0.8: the earlier wins

        Assert.Equal(0.98f, result.Removed[0].Similarity, 1e-5f);
        Assert.Equal("near-duplicate of c0 (cos 0.98)", result.Removed[0].Reason);
        Assert.Equal(0.96f, result.Removed[1].Similarity, 1e-5f);
        Assert.Equal("near-duplicate of c1 (cos 0.96)", result.Removed[1].Reason);

        // c4 reaches c1 only through c3: its own cosine to the keeper is 2·0.96² − 1, below ε, and the reason says so.
        Assert.Equal((float)((2 * 0.96 * 0.96) - 1), result.Removed[2].Similarity, 1e-5f);
        Assert.Equal("near-duplicate of c1 (cos 0.84, through a chain of near-duplicates)", result.Removed[2].Reason);
    }

    [Fact]
    public async Task A_higher_score_later_in_the_list_is_kept_instead()
    {
        var result = await Run(Request(HandRows(), D, scores: [0.5f, 0.8f, 0.85f, 0.81f, 0.7f, 0.1f]));

        Assert.Equal([2, 3, 5], result.Kept); // original rank order of the kept ones
        Assert.Equal([0, 1, 4], result.Removed.Select(r => r.Index));
        Assert.Equal([2, 3, 3], result.Removed.Select(r => r.DuplicateOfIndex));
        Assert.Equal(0.96f, result.Removed[2].Similarity, 1e-5f); // c4 is a direct neighbour of c3
    }

    [Fact]
    public async Task Keep_by_resolution_prefers_pixels_then_score_then_rank()
    {
        ImageMetadata?[] metadata =
        [
            new() { Width = 100, Height = 100 },
            new() { Width = 640, Height = 480 },
            new() { Width = 200, Height = 100 }, // beats c0 on pixels despite the lower score
            new() { Width = 1920, Height = 1080 },
            new() { Width = 1080, Height = 1920 }, // same pixels as c3, lower score: c3 stays
            null,
        ];
        var options = new NearDuplicateRemoverOptions { KeepBy = DuplicateKeepRule.Resolution };
        var result = await Run(Request(HandRows(), D, scores: [0.9f, 0.8f, 0.85f, 0.8f, 0.7f, 0.1f], metadata), options);

        Assert.Equal([2, 3, 5], result.Kept);
        Assert.Equal([(0, 2), (1, 3), (4, 3)], result.Removed.Select(r => (r.Index, r.DuplicateOfIndex)));
        Assert.Equal(0.96f, result.Removed[1].Similarity, 1e-5f);
        Assert.Equal("near-duplicate of c3 (cos 0.96)", result.Removed[2].Reason);

        // Unknown sizes count as none: with no metadata at all it falls back to the score rule.
        var noMetadata = await Run(Request(HandRows(), D, scores: [0.9f, 0.8f, 0.85f, 0.8f, 0.7f, 0.1f]), options);
        Assert.Equal([0, 1, 5], noMetadata.Kept);
    }

    [Fact]
    public async Task Keep_by_resolution_with_partial_metadata_prefers_the_known_size()
    {
        ImageMetadata?[] metadata = [new() { Width = 100 }, null, new() { Width = 10, Height = 10 }, null, null, null];
        var options = new NearDuplicateRemoverOptions { KeepBy = DuplicateKeepRule.Resolution };
        var result = await Run(Request(HandRows(), D, metadata: metadata), options);
        Assert.Equal([1, 2, 5], result.Kept);
    }

    [Fact]
    public async Task A_higher_threshold_splits_the_chain_and_the_pair()
    {
        var result = await Run(Request(HandRows(), D), new NearDuplicateRemoverOptions { Threshold = 0.97f });
        Assert.Equal([0, 1, 3, 4, 5], result.Kept); // only c0–c2 (0.98) is still a pair
        Assert.Equal(2, Assert.Single(result.Removed).Index);

        var strict = await Run(Request(HandRows(), D), new NearDuplicateRemoverOptions { Threshold = 0.99f });
        Assert.Equal(6, strict.Kept.Count);
        Assert.Empty(strict.Removed);
    }

    [Fact]
    public async Task Empty_and_single_requests()
    {
        var empty = await Run(new DeduplicationRequest([], [], EmbeddingBatch.Create(0, 4, Model)));
        Assert.Empty(empty.Kept);
        Assert.Empty(empty.Removed);
        Assert.Equal(0, empty.SelectedCount);

        var single = await Run(Request([1f, 2f, 3f], 3));
        Assert.Equal([0], single.Kept);
        Assert.Empty(single.Removed);
    }

    [Fact]
    public async Task All_identical_rows_leave_only_the_best_scored()
    {
        const int count = 50, dimension = 37;
        var random = new Random(5);
        var direction = RandomUnit(random, dimension);
        var rows = new float[count * dimension];
        for (var i = 0; i < count; i++)
        {
            var scale = 0.1 + random.NextDouble(); // same direction, different lengths
            for (var k = 0; k < dimension; k++)
            {
                rows[(i * dimension) + k] = (float)(direction[k] * scale);
            }
        }

        var scores = RandomScores(count, 6);
        var best = Array.IndexOf(scores, scores.Max());
        var result = await Run(Request(rows, dimension, scores));

        Assert.Equal([best], result.Kept);
        Assert.Equal(count - 1, result.Removed.Count);
        Assert.All(result.Removed, r => Assert.Equal(best, r.DuplicateOfIndex));
        Assert.All(result.Removed, r => Assert.Equal(1f, r.Similarity, 1e-5f));
    }

    [Fact]
    public async Task All_distinct_rows_are_all_kept()
    {
        const int dimension = 40;
        var rows = ToFloats(Enumerable.Range(0, dimension).Select(i => Axis(dimension, i)).ToArray());
        var result = await Run(Request(rows, dimension, isNormalized: true));
        Assert.Equal(Enumerable.Range(0, dimension), result.Kept);
        Assert.Empty(result.Removed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_row_with_NaN_or_infinity_duplicates_nothing(bool markedNormalized)
    {
        // Rows 1 and 3 are copies of row 0 with one value broken; row 2 is a genuine duplicate of row 0.
        var rows = ToFloats(Axis(4, 0), Axis(4, 0), Axis(4, 0), Axis(4, 0), Axis(4, 1));
        rows[(1 * 4) + 1] = float.NaN;
        rows[(3 * 4) + 0] = float.PositiveInfinity;
        var result = await Run(Request(rows, 4, isNormalized: markedNormalized));

        Assert.Equal([0, 1, 3, 4], result.Kept);
        var removal = Assert.Single(result.Removed);
        Assert.Equal((2, 0), (removal.Index, removal.DuplicateOfIndex));
    }

    [Fact]
    public async Task Zero_rows_are_not_duplicates_of_each_other()
    {
        var result = await Run(Request(new float[3 * 5], 5));
        Assert.Equal([0, 1, 2], result.Kept);
        Assert.Empty(result.Removed);
    }

    [Fact]
    public async Task A_NaN_score_loses_to_any_number()
    {
        var result = await Run(Request(HandRows(), D, scores: [float.NaN, 0.8f, 0.1f, 0.8f, 0.7f, 0.1f]));
        Assert.Equal([1, 2, 5], result.Kept);
        Assert.Equal((0, 2), (result.Removed[0].Index, result.Removed[0].DuplicateOfIndex));
    }

    [Fact]
    public async Task The_callers_batch_is_left_unchanged()
    {
        var rows = PlantedDuplicates(60, 24, 0.3, seed: 3);
        var copy = rows.ToArray();
        var batch = new EmbeddingBatch(rows, 24, Model);
        var result = await Run(new DeduplicationRequest(Ids(60), DescendingScores(60), batch));

        Assert.NotEmpty(result.Removed);
        Assert.Equal(copy, rows);
        Assert.False(batch.IsNormalized);
    }

    [Theory]
    [InlineData(300, 64, 0.1, 1, 0, 0)] // default blocks: one tile
    [InlineData(300, 64, 0.1, 2, 7, 13)] // tiny blocks: most pairs cross a boundary
    [InlineData(1000, 100, 0.05, 3, 96, 250)] // D not a multiple of 16, uneven tiles
    [InlineData(777, 37, 0.2, 4, 256, 300)]
    [InlineData(2000, 512, 0.05, 5, 256, 700)] // the production dimension across several tiles
    [InlineData(1200, 512, 0.3, 6, 0, 0)]
    public async Task Matches_the_double_precision_reference_on_planted_duplicates(
        int count, int dimension, double share, int seed, int blockRows, int blockColumns)
    {
        var rows = PlantedDuplicates(count, dimension, share, seed);
        var scores = RandomScores(count, seed + 100);
        var options = new NearDuplicateRemoverOptions();
        if (blockRows > 0)
        {
            options.BlockRows = blockRows;
            options.BlockColumns = blockColumns;
        }

        var cosines = DedupReference.Cosines(rows, dimension);
        Assert.True(DedupReference.Margin(cosines, options.Threshold) > 1e-5, "the data must be unambiguous in float");
        var keepers = DedupReference.Keepers(cosines, options.Threshold, scores);

        var result = await Run(Request(rows, dimension, scores), options);

        var expectedKept = Enumerable.Range(0, count).Where(i => keepers[i] == i).ToArray();
        Assert.Equal(expectedKept, result.Kept);
        Assert.True(result.Removed.Count > count * share / 3, $"only {result.Removed.Count} removed: the planted duplicates must show");
        Assert.Equal(Enumerable.Range(0, count).Where(i => keepers[i] != i), result.Removed.Select(r => r.Index));
        foreach (var removal in result.Removed)
        {
            Assert.Equal(keepers[removal.Index], removal.DuplicateOfIndex);
            Assert.Equal(cosines[removal.Index, removal.DuplicateOfIndex], removal.Similarity, 1e-5);
            Assert.StartsWith($"near-duplicate of c{removal.DuplicateOfIndex} (cos ", removal.Reason, StringComparison.Ordinal);
        }

        if (share >= 0.2)
        {
            Assert.Contains(result.Removed, r => r.Similarity < options.Threshold); // denser data has transitive members
        }
    }

    [Fact]
    public async Task Keep_by_resolution_matches_the_reference()
    {
        const int count = 500, dimension = 48;
        var rows = PlantedDuplicates(count, dimension, 0.3, seed: 11);
        var scores = RandomScores(count, 12);
        var random = new Random(13);
        var metadata = Enumerable.Range(0, count)
            .Select(_ => random.Next(5) == 0 ? null : new ImageMetadata { Width = 100 * random.Next(1, 4), Height = 100 * random.Next(1, 3) })
            .ToArray();
        var cosines = DedupReference.Cosines(rows, dimension);
        var keepers = DedupReference.Keepers(cosines, 0.95, scores, metadata);

        var result = await Run(Request(rows, dimension, scores, metadata), new NearDuplicateRemoverOptions { KeepBy = DuplicateKeepRule.Resolution });

        Assert.Equal(Enumerable.Range(0, count).Where(i => keepers[i] == i), result.Kept);
        Assert.Equal(Enumerable.Range(0, count).Where(i => keepers[i] != i).Select(i => keepers[i]), result.Removed.Select(r => r.DuplicateOfIndex));
    }

    [Fact]
    public async Task The_thread_count_does_not_change_the_result()
    {
        var rows = PlantedDuplicates(1500, 128, 0.1, seed: 21);
        var request = Request(rows, 128, RandomScores(1500, 22));
        var one = await Run(request, new NearDuplicateRemoverOptions { MaxDegreeOfParallelism = 1 });
        var two = await Run(request, new NearDuplicateRemoverOptions { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Kept, two.Kept);
        Assert.Equal(one.Removed, two.Removed);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_instance_equal_serial_ones()
    {
        var remover = new NearDuplicateRemover(new NearDuplicateRemoverOptions { BlockRows = 50, BlockColumns = 70 });
        var requests = Enumerable.Range(0, 6)
            .Select(s => Request(PlantedDuplicates(400, 32, 0.2, seed: 30 + s), 32, RandomScores(400, 40 + s)))
            .ToArray();
        var serial = new List<DeduplicationResult>();
        foreach (var request in requests)
        {
            serial.Add(await remover.DeduplicateAsync(request, TestContext.Current.CancellationToken));
        }

        var concurrent = await Task.WhenAll(requests.Select(r => Task.Run(async () => await remover.DeduplicateAsync(r, TestContext.Current.CancellationToken))));
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(serial[i].Kept, concurrent[i].Kept);
            Assert.Equal(serial[i].Removed, concurrent[i].Removed);
        }
    }

    [Fact]
    public async Task A_cancelled_token_gives_a_cancelled_task()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var task = new NearDuplicateRemover().DeduplicateAsync(Request(HandRows(), D), cts.Token).AsTask();
        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await task);
    }

    [Fact]
    public void Cancellation_is_checked_between_blocks()
    {
        // The internal entry skips the up-front check, so this throws from inside the block loop.
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var remover = new NearDuplicateRemover(new NearDuplicateRemoverOptions { BlockRows = 16, BlockColumns = 16 });
        Assert.Throws<OperationCanceledException>(() => remover.Deduplicate(Request(PlantedDuplicates(100, 8, 0.1, 1), 8), cts.Token));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(1.0001f)]
    [InlineData(float.NaN)]
    public void Threshold_outside_zero_to_one_is_refused(float threshold)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NearDuplicateRemover(new NearDuplicateRemoverOptions { Threshold = threshold }));
        Assert.Equal(nameof(NearDuplicateRemoverOptions.Threshold), ex.ParamName);
    }

    [Fact]
    public void Other_options_are_validated_and_copied()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearDuplicateRemover(new NearDuplicateRemoverOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearDuplicateRemover(new NearDuplicateRemoverOptions { KeepBy = (DuplicateKeepRule)7 }));

        var options = new NearDuplicateRemoverOptions { Threshold = 1f, KeepBy = DuplicateKeepRule.Resolution };
        var remover = new NearDuplicateRemover(options);
        options.Threshold = 0.5f; // later changes to the options do not reach the remover
        Assert.Equal(1f, remover.Threshold);
        Assert.Equal(DuplicateKeepRule.Resolution, remover.KeepBy);
        Assert.Equal(0.95f, new NearDuplicateRemover().Threshold);
        Assert.Same(remover, remover.GetService(typeof(IDeduplicator)));
        Assert.Null(remover.GetService(typeof(IDeduplicator), "key"));
        Assert.Null(remover.GetService(typeof(string)));
    }

    [Fact]
    public async Task A_null_request_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new NearDuplicateRemover().DeduplicateAsync(null!, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new MmrDiversifier().DeduplicateAsync(null!, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Result_selected_count_is_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeduplicationResult([0, 1], [], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeduplicationResult([0, 1], [], -1));
        Assert.Equal(2, new DeduplicationResult([0, 1], []).SelectedCount);
        Assert.Equal(1, new DeduplicationResult([0, 1], [], 1).SelectedCount);
    }
}
