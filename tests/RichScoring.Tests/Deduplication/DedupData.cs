namespace RichScoring.Tests.Deduplication;

/// <summary>Embeddings with known structure, and request builders, for the deduplication tests.</summary>
internal static class DedupData
{
    public const string Model = "test-model";

    public static string[] Ids(int count) => Enumerable.Range(0, count).Select(i => "c" + i).ToArray();

    public static DeduplicationRequest Request(float[] rows, int dimension, float[]? scores = null, IReadOnlyList<ImageMetadata?>? metadata = null, bool isNormalized = false)
    {
        var count = rows.Length / dimension;
        scores ??= DescendingScores(count);
        return new DeduplicationRequest(Ids(count), scores, new EmbeddingBatch(rows, dimension, Model, isNormalized), metadata);
    }

    /// <summary>Scores 1, 1 − 1/n, … as a ranked list has them.</summary>
    public static float[] DescendingScores(int count) => Enumerable.Range(0, count).Select(i => 1f - ((float)i / Math.Max(1, count))).ToArray();

    public static double[] RandomUnit(Random random, int dimension)
    {
        var v = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = Gaussian(random);
        }

        return Normalize(v);
    }

    /// <summary>A unit vector whose cosine with the unit vector <paramref name="u"/> is exactly <paramref name="cosine"/> (in double).</summary>
    public static double[] AtCosine(Random random, double[] u, double cosine)
    {
        // w: a random direction made orthogonal to u (Gram-Schmidt), then v = c·u + √(1−c²)·w.
        var w = RandomUnit(random, u.Length);
        var along = Dot(w, u);
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= along * u[i];
        }

        w = Normalize(w);
        var sine = Math.Sqrt(1 - (cosine * cosine));
        var v = new double[u.Length];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (cosine * u[i]) + (sine * w[i]);
        }

        return v;
    }

    /// <summary>
    /// <paramref name="count"/> random unit rows of which about <paramref name="duplicateShare"/> are perturbed copies
    /// (cosine 0.96–0.995) of an earlier row, copies of copies included, so chains and groups of all sizes occur.
    /// Rows are scaled by random factors (not normalised) unless <paramref name="unit"/>.
    /// </summary>
    public static float[] PlantedDuplicates(int count, int dimension, double duplicateShare, int seed, bool unit = false)
    {
        var random = new Random(seed);
        var rows = new double[count][];
        for (var i = 0; i < count; i++)
        {
            rows[i] = i > 0 && random.NextDouble() < duplicateShare
                ? AtCosine(random, rows[random.Next(i)], 0.96 + (0.035 * random.NextDouble()))
                : RandomUnit(random, dimension);
        }

        // Shuffle so that duplicates sit before their originals too.
        random.Shuffle(rows);
        var data = new float[count * dimension];
        for (var i = 0; i < count; i++)
        {
            var scale = unit ? 1 : 0.5 + (3 * random.NextDouble());
            for (var k = 0; k < dimension; k++)
            {
                data[(i * dimension) + k] = (float)(rows[i][k] * scale);
            }
        }

        return data;
    }

    public static float[] RandomScores(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() * scale).ToArray();
    }

    public static float[] ToFloats(params double[][] rows) => rows.SelectMany(r => r.Select(x => (float)x)).ToArray();

    /// <summary>Unit vector along axis <paramref name="axis"/> in <paramref name="dimension"/> dimensions.</summary>
    public static double[] Axis(int dimension, int axis)
    {
        var v = new double[dimension];
        v[axis] = 1;
        return v;
    }

    /// <summary>cos θ·e_a + sin θ·e_b.</summary>
    public static double[] InPlane(int dimension, int a, int b, double angle)
    {
        var v = new double[dimension];
        v[a] = Math.Cos(angle);
        v[b] = Math.Sin(angle);
        return v;
    }

    public static double Dot(double[] x, double[] y)
    {
        var sum = 0d;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    private static double[] Normalize(double[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
