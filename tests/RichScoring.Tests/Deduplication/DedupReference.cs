namespace RichScoring.Tests.Deduplication;

/// <summary>
/// Plain double-precision references: the full cosine matrix, connected components by breadth-first search, and
/// textbook MMR that recomputes every max similarity from scratch.
/// </summary>
internal static class DedupReference
{
    /// <summary>All pairwise cosines in double; NaN for any pair involving a row with a non-finite value; 0 for a zero row.</summary>
    public static double[,] Cosines(float[] rows, int dimension)
    {
        var count = rows.Length / dimension;
        var unit = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * dimension, dimension).ToArray().Select(x => (double)x).ToArray();
            var norm = Math.Sqrt(row.Sum(x => x * x));
            unit[i] = row.Select(x => !double.IsFinite(norm) ? double.NaN : norm == 0 ? 0 : x / norm).ToArray();
        }

        var cosines = new double[count, count];
        for (var i = 0; i < count; i++)
        {
            for (var j = i; j < count; j++)
            {
                cosines[i, j] = cosines[j, i] = DedupData.Dot(unit[i], unit[j]);
            }
        }

        return cosines;
    }

    /// <summary>The reference result: the keeper of each candidate's group (itself when kept).</summary>
    public static int[] Keepers(double[,] cosines, double threshold, float[] scores, IReadOnlyList<ImageMetadata?>? metadata = null)
    {
        var count = scores.Length;
        var group = new int[count];
        Array.Fill(group, -1);
        var keepers = new int[count];
        for (var seed = 0; seed < count; seed++)
        {
            if (group[seed] >= 0)
            {
                continue;
            }

            // Breadth-first search over pairs with cosine ≥ ε.
            var members = new List<int> { seed };
            group[seed] = seed;
            for (var m = 0; m < members.Count; m++)
            {
                for (var j = 0; j < count; j++)
                {
                    if (group[j] < 0 && j != members[m] && cosines[members[m], j] >= threshold)
                    {
                        group[j] = seed;
                        members.Add(j);
                    }
                }
            }

            members.Sort();
            var best = members[0];
            foreach (var member in members.Skip(1))
            {
                var (pixelsBest, pixelsMember) = (Pixels(metadata, best), Pixels(metadata, member));
                var better = metadata is not null && pixelsMember != pixelsBest
                    ? pixelsMember > pixelsBest
                    : scores[member] > scores[best] || (float.IsNaN(scores[best]) && !float.IsNaN(scores[member]));
                if (better)
                {
                    best = member;
                }
            }

            foreach (var member in members)
            {
                keepers[member] = best;
            }
        }

        return keepers;
    }

    /// <summary>The smallest |cos − ε| over all pairs: how far the data is from an ambiguous float-vs-double decision.</summary>
    public static double Margin(double[,] cosines, double threshold)
    {
        var margin = double.PositiveInfinity;
        var count = cosines.GetLength(0);
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                if (!double.IsNaN(cosines[i, j]))
                {
                    margin = Math.Min(margin, Math.Abs(cosines[i, j] - threshold));
                }
            }
        }

        return margin;
    }

    /// <summary>Textbook MMR; also returns the smallest gap between the best and the runner-up objective over all picks.</summary>
    public static (List<int> Picks, double Gap) Mmr(double[,] cosines, float[] scores, double lambda, int topK, bool normalize)
    {
        var count = scores.Length;
        var finite = scores.Where(float.IsFinite).Select(s => (double)s).ToArray();
        var (min, max) = finite.Length == 0 ? (0d, 0d) : (finite.Min(), finite.Max());
        var clamped = scores.Select(s => finite.Length == 0 ? 0 : float.IsNaN(s) ? min : Math.Clamp(s, min, max)).ToArray();
        var relevance = clamped.Select(s => !normalize ? s : max > min ? (s - min) / (max - min) : 1).ToArray();

        var picks = new List<int>();
        var gap = double.PositiveInfinity;
        for (var step = 0; step < Math.Min(topK, count); step++)
        {
            var best = -1;
            double bestValue = double.NegativeInfinity, runnerUp = double.NegativeInfinity;
            for (var i = 0; i < count; i++)
            {
                if (picks.Contains(i))
                {
                    continue;
                }

                double value;
                if (step == 0)
                {
                    value = clamped[i];
                }
                else
                {
                    var maxSimilarity = picks.Max(j => double.IsNaN(cosines[i, j]) ? 0 : cosines[i, j]);
                    value = (lambda * relevance[i]) - ((1 - lambda) * maxSimilarity);
                }

                if (best < 0 || value > bestValue)
                {
                    runnerUp = bestValue;
                    best = i;
                    bestValue = value;
                }
                else if (value > runnerUp)
                {
                    runnerUp = value;
                }
            }

            picks.Add(best);
            gap = Math.Min(gap, bestValue - runnerUp);
        }

        return (picks, gap);
    }

    private static long Pixels(IReadOnlyList<ImageMetadata?>? metadata, int index) =>
        metadata?[index] is { Width: > 0 and var w, Height: > 0 and var h } ? (long)w * h : 0;
}
