namespace RichScoring.Tests.Scoring;

/// <summary>
/// The scores written the obvious way in double precision, one pair at a time, to check the scorers against, plus
/// helpers that build requests from plain vectors.
/// </summary>
internal static class ScoringReference
{
    public const string Model = "test/vectors";

    public static double Cosine(float[] x, float[] y)
    {
        double dot = 0, xx = 0, yy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            dot += (double)x[i] * y[i];
            xx += (double)x[i] * x[i];
            yy += (double)y[i] * y[i];
        }

        return xx == 0 || yy == 0 ? 0 : dot / Math.Sqrt(xx * yy);
    }

    public static double[] Cosines(float[] image, float[][] prompts) => [.. prompts.Select(p => Cosine(image, p))];

    public static double Contrast(float[] image, float[][] positives, float[][] negatives) =>
        Cosines(image, positives).Max() - (negatives.Length == 0 ? 0 : Cosines(image, negatives).Max());

    public static double SoftMax(double[] x, double t)
    {
        var max = x.Max();
        return max + (t * Math.Log(x.Sum(v => Math.Exp((v - max) / t))));
    }

    public static double SmoothContrast(float[] image, float[][] positives, float[][] negatives, double t) =>
        SoftMax(Cosines(image, positives), t) - (negatives.Length == 0 ? 0 : SoftMax(Cosines(image, negatives), t));

    public static double ClipScore(float[] image, float[][] positives, double w = 100) =>
        Math.Max(w * Cosines(image, positives).Max(), 0);

    /// <summary>Σ over positives of softmax(scale · cos) over all prompts.</summary>
    public static double SoftmaxProbability(float[] image, float[][] positives, float[][] negatives, double scale)
    {
        var logits = Cosines(image, [.. positives, .. negatives]).Select(c => scale * c).ToArray();
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return exp.Take(positives.Length).Sum() / exp.Sum();
    }

    public static double SigmoidProbability(float[] image, float[][] positives, float[][] negatives, double scale, double bias)
    {
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        var positive = Cosines(image, positives).Max(c => Sigmoid((scale * c) + bias));
        return negatives.Length == 0 ? positive : positive * (1 - Cosines(image, negatives).Max(c => Sigmoid((scale * c) + bias)));
    }

    /// <summary>A random unit vector.</summary>
    public static float[] UnitVector(Random random, int dimension)
    {
        var v = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (random.NextDouble() * 2) - 1;
        }

        var norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => (float)(x / norm))];
    }

    /// <summary>A unit vector with the given cosine to the first axis, the rest along <paramref name="axis"/>.</summary>
    public static float[] WithCosine(double cosine, int axis, int dimension)
    {
        var v = new float[dimension];
        v[0] = (float)cosine;
        v[axis] = (float)Math.Sqrt(1 - (cosine * cosine));
        return v;
    }

    public static EmbeddingBatch Batch(float[][] rows, int dimension, bool normalized = true) =>
        new([.. rows.SelectMany(r => r)], dimension, Model, normalized);

    /// <summary>A request whose prompts are named "p0", "p1", … and "n0", "n1", …</summary>
    public static ScoringRequest Request(
        float[][] positives, float[][] negatives, float[][] images, IReadOnlyList<ImageMetadata?>? metadata = null, bool normalized = true)
    {
        var dimension = positives[0].Length;
        var query = new ScoringQuery(
            [.. Enumerable.Range(0, positives.Length).Select(i => $"p{i}")],
            [.. Enumerable.Range(0, negatives.Length).Select(i => $"n{i}")]);
        var encoded = new EncodedQuery(query, Batch(positives, dimension), Batch(negatives, dimension));
        return new ScoringRequest(
            encoded, Batch(images, dimension, normalized), [.. Enumerable.Range(0, images.Length).Select(i => $"c{i}")], metadata);
    }

    /// <summary>A random request: unit prompt vectors, images of random norms (not flagged normalized).</summary>
    public static (ScoringRequest Request, float[][] Positives, float[][] Negatives, float[][] Images) Random(
        int seed, int candidates, int positives, int negatives, int dimension = 24)
    {
        var random = new Random(seed);
        var p = Enumerable.Range(0, positives).Select(_ => UnitVector(random, dimension)).ToArray();
        var n = Enumerable.Range(0, negatives).Select(_ => UnitVector(random, dimension)).ToArray();

        // Images lean towards one prompt or another so that the scores spread like real ones.
        var all = p.Concat(n).ToArray();
        var images = Enumerable.Range(0, candidates).Select(_ =>
        {
            var u = UnitVector(random, dimension);
            var lean = all[random.Next(all.Length)];
            var weight = random.NextDouble();
            var scale = 0.5 + (random.NextDouble() * 3);
            return u.Select((x, i) => (float)(scale * (x + (weight * lean[i])))).ToArray();
        }).ToArray();
        return (Request(p, n, images, normalized: false), p, n, images);
    }

    public static async Task<ScoreBatch> ScoreAsync(IScorer scorer, ScoringRequest request) =>
        await scorer.ScoreAsync(request, TestContext.Current.CancellationToken);
}
