using System.Buffers;
using System.Globalization;
using RichScoring.Numerics;

namespace RichScoring;

/// <summary>
/// Removes near-duplicates: candidates whose embeddings have cosine similarity ≥ ε are linked, every connected group
/// keeps one member (by score or by resolution, see <see cref="NearDuplicateRemoverOptions"/>) and loses the others.
/// </summary>
/// <remarks>
/// <para>
/// Groups are connected components, as in clip-retrieval's deduplication: if a ~ b and b ~ c then a, b and c form
/// one group even when a and c are less similar than ε. Each removed candidate names the kept member of its group and
/// its own cosine to that member, recomputed for the pair; for a member linked only through others this can be
/// below ε, and the reason then says so.
/// </para>
/// <para>
/// <see cref="DeduplicationResult.Kept"/> lists the kept candidates in their original rank order and
/// <see cref="DeduplicationResult.Removed"/> the others, by position. The upper triangle of the similarity matrix is
/// computed in blocks by <see cref="EmbeddingMath.SimilarityMatrix(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, SimilarityOptions)"/>,
/// so the similarity buffer stays at 4 MiB whatever the number of candidates (never N × N), and cancellation is checked between blocks.
/// Embeddings that are not marked normalised are normalised in a copy; the request is never changed. A row holding
/// NaN or ±Inf duplicates nothing (it is kept, alone in its group); a zero row has cosine 0 to everything.
/// </para>
/// <para>The work runs synchronously on the calling thread (the kernel may add worker threads). Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class NearDuplicateRemover : IDeduplicator
{
    /// <summary>Rows per block: 256 rows of 512 floats stay within L2 beside the kernel's candidate block.</summary>
    internal const int DefaultBlockRows = 256;

    /// <summary>Columns per block: 256 × 4,096 similarities is a 4 MiB buffer and enough columns to share among threads.</summary>
    internal const int DefaultBlockColumns = 4096;

    private readonly float _threshold;
    private readonly DuplicateKeepRule _keepBy;
    private readonly SimilarityOptions _similarity;
    private readonly int _blockRows;
    private readonly int _blockColumns;

    /// <summary>Creates a remover.</summary>
    /// <param name="options">The settings (copied); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public NearDuplicateRemover(NearDuplicateRemoverOptions? options = null)
    {
        options ??= new NearDuplicateRemoverOptions();
        options.Validate();
        _threshold = options.Threshold;
        _keepBy = options.KeepBy;
        _similarity = new SimilarityOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        _blockRows = options.BlockRows;
        _blockColumns = options.BlockColumns;
    }

    /// <summary>The cosine similarity from which two candidates are near-duplicates.</summary>
    internal float Threshold => _threshold;

    /// <summary>Which member of a group is kept.</summary>
    internal DuplicateKeepRule KeepBy => _keepBy;

    /// <inheritdoc />
    /// <remarks>
    /// Kept candidates come back in their original order, every kept one counting as selected; removed ones in
    /// order of position. A cancelled token gives a cancelled task.
    /// </remarks>
    public ValueTask<DeduplicationResult> DeduplicateAsync(DeduplicationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DeduplicationResult>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Deduplicate(request, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DeduplicationResult>(cancellationToken);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    internal DeduplicationResult Deduplicate(DeduplicationRequest request, CancellationToken cancellationToken)
    {
        var count = request.Count;
        if (count == 0)
        {
            return new DeduplicationResult([], []);
        }

        var dimension = request.Embeddings.Dimension;
        var rows = DeduplicationEmbeddings.Normalized(request.Embeddings);
        var usable = DeduplicationEmbeddings.UsableRows(rows.Span, dimension);
        var groups = FindGroups(rows.Span, dimension, usable, cancellationToken);

        // The keeper of each group, indexed by the group's root.
        var keeper = new int[count];
        keeper.AsSpan().Fill(-1);
        var scores = request.Scores;
        for (var i = 0; i < count; i++)
        {
            var root = groups.Find(i);
            if (keeper[root] < 0 || IsBetter(request, scores, i, keeper[root]))
            {
                keeper[root] = i;
            }
        }

        var kept = new List<int>();
        var removed = new List<DuplicateRemoval>();
        for (var i = 0; i < count; i++)
        {
            var keep = keeper[groups.Find(i)];
            if (keep == i)
            {
                kept.Add(i);
                continue;
            }

            var similarity = EmbeddingMath.Cosine(rows.Span.Slice(i * dimension, dimension), rows.Span.Slice(keep * dimension, dimension));
            var reason = similarity >= _threshold
                ? string.Create(CultureInfo.InvariantCulture, $"near-duplicate of {request.CandidateIds[keep]} (cos {similarity:0.00})")
                : string.Create(CultureInfo.InvariantCulture, $"near-duplicate of {request.CandidateIds[keep]} (cos {similarity:0.00}, through a chain of near-duplicates)");
            removed.Add(new DuplicateRemoval(i, keep, similarity, reason));
        }

        return new DeduplicationResult(kept, removed);
    }

    /// <summary>
    /// Links every pair i &lt; j with cosine ≥ ε. The upper triangle is covered by tiles of rows [r, r + R) ×
    /// columns [c, c + C) with c ≥ r, so no tile, and no buffer, grows with the square of the count.
    /// </summary>
    private UnionFind FindGroups(ReadOnlySpan<float> rows, int dimension, bool[] usable, CancellationToken cancellationToken)
    {
        var count = usable.Length;
        var groups = new UnionFind(count);
        var blockRows = Math.Min(_blockRows, count);
        var blockColumns = Math.Min(_blockColumns, count);
        var buffer = ArrayPool<float>.Shared.Rent(blockRows * blockColumns);
        try
        {
            for (var r0 = 0; r0 < count; r0 += blockRows)
            {
                var rowCount = Math.Min(blockRows, count - r0);
                var queries = rows.Slice(r0 * dimension, rowCount * dimension);

                // The first tile of a row block starts at its diagonal; the part below the diagonal is skipped when scanning.
                for (var c0 = r0; c0 < count; c0 += blockColumns)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var columnCount = Math.Min(blockColumns, count - c0);
                    var tile = buffer.AsSpan(0, rowCount * columnCount);
                    EmbeddingMath.SimilarityMatrix(queries, rows.Slice(c0 * dimension, columnCount * dimension), dimension, tile, _similarity);
                    for (var r = 0; r < rowCount; r++)
                    {
                        var i = r0 + r;
                        if (!usable[i])
                        {
                            continue;
                        }

                        var start = Math.Max(c0, i + 1);
                        var similarities = tile.Slice((r * columnCount) + (start - c0), c0 + columnCount - start);
                        for (var found = ThresholdScan.IndexOfAtLeast(similarities, _threshold); found >= 0; found = ThresholdScan.IndexOfAtLeast(similarities, _threshold))
                        {
                            var j = start + found;
                            if (usable[j])
                            {
                                groups.Union(i, j);
                            }

                            start = j + 1;
                            similarities = similarities[(found + 1)..];
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return groups;
    }

    /// <summary>Whether candidate <paramref name="challenger"/> beats <paramref name="incumbent"/>, which is ranked before it.</summary>
    private bool IsBetter(DeduplicationRequest request, ReadOnlySpan<float> scores, int challenger, int incumbent)
    {
        if (_keepBy == DuplicateKeepRule.Resolution)
        {
            var challengerPixels = Pixels(request.Metadata, challenger);
            var incumbentPixels = Pixels(request.Metadata, incumbent);
            if (challengerPixels != incumbentPixels)
            {
                return challengerPixels > incumbentPixels;
            }
        }

        return DeduplicationEmbeddings.IsBetterScore(scores[challenger], scores[incumbent]);
    }

    /// <summary>Width × height when both are known and positive, else 0 (unknown loses to any known size).</summary>
    private static long Pixels(IReadOnlyList<ImageMetadata?>? metadata, int index) =>
        metadata?[index] is { Width: > 0 and var width, Height: > 0 and var height } ? (long)width * height : 0;
}
