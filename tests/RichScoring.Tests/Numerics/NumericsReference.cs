namespace RichScoring.Tests.Numerics;

/// <summary>
/// Plain double-precision reference implementations, written the obvious way, to check the kernels against.
/// </summary>
internal static class NumericsReference
{
    /// <summary>The float unit roundoff 2⁻²⁴.</summary>
    public const double Epsilon = 1.0 / (1 << 24);

    public static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }

        return sum;
    }

    /// <summary>Σ|xᵢ·yᵢ|: the scale of the rounding error of any float summation order.</summary>
    public static double AbsDot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += Math.Abs((double)x[i] * y[i]);
        }

        return sum;
    }

    /// <summary>
    /// The error bound of a float dot product of length n summed in any order (Higham, γₙ·Σ|xᵢyᵢ| with γₙ ≈ n·u),
    /// plus two roundings for the final horizontal adds. The kernels split the sum across lanes and accumulators,
    /// so their order differs from a sequential loop; this bound covers every order.
    /// </summary>
    public static double DotTolerance(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        ((x.Length + 2) * Epsilon * AbsDot(x, y)) + 1e-37;

    public static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var xx = Dot(x, x);
        var yy = Dot(y, y);
        return xx == 0 || yy == 0 ? 0 : Math.Clamp(Dot(x, y) / Math.Sqrt(xx * yy), -1, 1);
    }

    public static double[] Normalize(ReadOnlySpan<float> row)
    {
        var norm = Math.Sqrt(Dot(row, row));
        var result = new double[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            result[i] = norm == 0 ? 0 : row[i] / norm;
        }

        return result;
    }

    public static double[] Matrix(ReadOnlySpan<float> queries, ReadOnlySpan<float> candidates, int dimension)
    {
        var q = queries.Length / dimension;
        var n = candidates.Length / dimension;
        var result = new double[q * n];
        for (var i = 0; i < q; i++)
        {
            for (var j = 0; j < n; j++)
            {
                result[(i * n) + j] = Dot(queries.Slice(i * dimension, dimension), candidates.Slice(j * dimension, dimension));
            }
        }

        return result;
    }

    public static double[] Softmax(ReadOnlySpan<float> x)
    {
        var max = double.NegativeInfinity;
        foreach (var v in x)
        {
            max = Math.Max(max, v);
        }

        var result = new double[x.Length];
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = Math.Exp(x[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < x.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }

    public static double LogSumExp(ReadOnlySpan<float> x)
    {
        var max = double.NegativeInfinity;
        foreach (var v in x)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (var v in x)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    public static double Sigmoid(float x) => 1 / (1 + Math.Exp(-(double)x));

    /// <summary>Top-k by a full sort: non-NaN indices ordered by value descending, then index ascending.</summary>
    public static int[] TopK(float[] values, int k) =>
        [.. Enumerable.Range(0, values.Length)
            .Where(i => !float.IsNaN(values[i]))
            .OrderByDescending(i => values[i])
            .ThenBy(i => i)
            .Take(k)];

    /// <summary>First index of the maximum, NaN skipped (−0 == +0), −1 when none.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = -1;
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsNaN(values[i]) && (best < 0 || values[i] > values[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Uniform values in [−1, 1).</summary>
    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var result = new float[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return result;
    }
}
