using System.Numerics.Tensors;
using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Deduplication;

/// <summary>Benchmark inputs (random unit rows with planted near-duplicates) and the naive baselines.</summary>
internal static class DedupData
{
    public static DeduplicationRequest Request(int count, int dimension, double duplicateShare, int seed)
    {
        var random = new Random(seed);
        var rows = new float[count * dimension];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (float)((random.NextDouble() * 2) - 1);
        }

        EmbeddingMath.NormalizeRows(rows, dimension);

        // Replace a share of the rows by an earlier row plus 0.2 × a random unit vector: cosine ≈ 1/√1.04 ≈ 0.98.
        var noise = new float[dimension];
        for (var i = 1; i < count; i++)
        {
            if (random.NextDouble() >= duplicateShare)
            {
                continue;
            }

            for (var k = 0; k < dimension; k++)
            {
                noise[k] = (float)((random.NextDouble() * 2) - 1);
            }

            EmbeddingMath.NormalizeRows(noise, dimension);
            var source = rows.AsSpan(random.Next(i) * dimension, dimension);
            var target = rows.AsSpan(i * dimension, dimension);
            TensorPrimitives.MultiplyAdd(noise, 0.2f, source, target);
            EmbeddingMath.NormalizeRows(target, dimension);
        }

        var scores = Enumerable.Range(0, count).Select(i => 1f - ((float)i / count)).ToArray();
        var ids = Enumerable.Range(0, count).Select(i => "c" + i).ToArray();
        return new DeduplicationRequest(ids, scores, new EmbeddingBatch(rows, dimension, "bench", isNormalized: true));
    }

    /// <summary>
    /// What one would write first: TensorPrimitives.CosineSimilarity for every pair of the upper triangle, union-find
    /// over the pairs ≥ ε, the first (best-ranked) member of each group kept. Returns the number kept.
    /// </summary>
    public static int NaiveDedup(DeduplicationRequest request, float threshold)
    {
        var count = request.Count;
        var dimension = request.Embeddings.Dimension;
        var rows = request.Embeddings.Span;
        var groups = new UnionFind(count);
        for (var i = 0; i < count; i++)
        {
            var row = rows.Slice(i * dimension, dimension);
            for (var j = i + 1; j < count; j++)
            {
                if (TensorPrimitives.CosineSimilarity(row, rows.Slice(j * dimension, dimension)) >= threshold)
                {
                    groups.Union(i, j);
                }
            }
        }

        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            kept += groups.Find(i) == i ? 1 : 0; // the root is the smallest index, the best-ranked member
        }

        return kept;
    }

    /// <summary>Textbook MMR: every step recomputes each candidate's max cosine to all picks so far, one pair at a time.</summary>
    public static int[] NaiveMmr(DeduplicationRequest request, float lambda, int topK)
    {
        var count = request.Count;
        var dimension = request.Embeddings.Dimension;
        var rows = request.Embeddings.Span;
        var scores = request.Scores;
        var picks = new List<int>();
        var picked = new bool[count];
        for (var step = 0; step < Math.Min(topK, count); step++)
        {
            var best = -1;
            var bestValue = float.NegativeInfinity;
            for (var i = 0; i < count; i++)
            {
                if (picked[i])
                {
                    continue;
                }

                var maxSimilarity = 0f;
                if (picks.Count > 0)
                {
                    maxSimilarity = float.NegativeInfinity;
                    foreach (var j in picks)
                    {
                        maxSimilarity = Math.Max(maxSimilarity, TensorPrimitives.CosineSimilarity(rows.Slice(i * dimension, dimension), rows.Slice(j * dimension, dimension)));
                    }
                }

                var value = picks.Count == 0 ? scores[i] : (lambda * scores[i]) - ((1 - lambda) * maxSimilarity);
                if (best < 0 || value > bestValue)
                {
                    best = i;
                    bestValue = value;
                }
            }

            picks.Add(best);
            picked[best] = true;
        }

        return [.. picks];
    }
}
