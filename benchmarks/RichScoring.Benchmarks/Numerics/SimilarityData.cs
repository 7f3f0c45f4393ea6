using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>Random unit-norm embeddings and the baselines every similarity benchmark class runs beside our kernel.</summary>
internal static class SimilarityData
{
    public static float[] UnitRows(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var data = new float[rows * dimension];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        EmbeddingMath.NormalizeRows(data, dimension);
        return data;
    }

    /// <summary>The obvious triple loop: one scalar multiply-add at a time.</summary>
    public static void NaiveScalar(float[] queries, float[] candidates, int dimension, float[] destination)
    {
        var q = queries.Length / dimension;
        var n = candidates.Length / dimension;
        for (var i = 0; i < q; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var k = 0; k < dimension; k++)
                {
                    sum += queries[(i * dimension) + k] * candidates[(j * dimension) + k];
                }

                destination[(i * n) + j] = sum;
            }
        }
    }

    /// <summary>What one would write with TensorPrimitives: one SIMD dot product per (query, candidate) pair.</summary>
    public static void DotPerPair(float[] queries, float[] candidates, int dimension, float[] destination)
    {
        var q = queries.Length / dimension;
        var n = candidates.Length / dimension;
        for (var i = 0; i < q; i++)
        {
            var query = queries.AsSpan(i * dimension, dimension);
            for (var j = 0; j < n; j++)
            {
                destination[(i * n) + j] = System.Numerics.Tensors.TensorPrimitives.Dot(query, candidates.AsSpan(j * dimension, dimension));
            }
        }
    }
}
