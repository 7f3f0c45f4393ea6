using System.Numerics.Tensors;
using RichScoring.Numerics;
using static RichScoring.Tests.Numerics.NumericsReference;

namespace RichScoring.Tests.Numerics;

public class SoftmaxTests
{
    private const float Inf = float.PositiveInfinity;

    [Fact]
    public void SoftmaxMatchesTheReferenceAtEveryLengthOnEveryPathAlsoInPlace()
    {
        for (var length = 1; length <= 256; length++)
        {
            // Logits like CLIP's (cos · 100) reach a spread of ~40; include a far-out value every so often.
            var x = NumericsReference.Random(length, length).Select(v => v * 20).ToArray();
            if (length % 5 == 0)
            {
                x[length / 2] = 95;
            }

            var expected = NumericsReference.Softmax(x);
            var max = x.Max();
            foreach (var path in SimdPaths.All)
            {
                var actual = new float[length];
                EmbeddingMath.Softmax(x, actual, path);
                for (var i = 0; i < length; i++)
                {
                    // exp(xᵢ − m) carries the rounding of xᵢ − m scaled by |xᵢ − m| (≤ 2⁻²⁴·|xᵢ − m| relative), the sum and
                    // the division add about n + a few roundings; below ~1e-37 floats run out of precision altogether.
                    var tolerance = (expected[i] * (length + Math.Abs(x[i] - max) + 16) * Epsilon) + 1e-37;
                    if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                    {
                        Assert.Fail($"length {length}, {SimdPaths.Describe(path)}, [{i}]: {actual[i]} vs {expected[i]}");
                    }
                }

                Assert.Equal(1.0, actual.Sum(v => (double)v), 1e-5);

                // In place (destination is x itself) gives the very same bits.
                var inPlace = (float[])x.Clone();
                EmbeddingMath.Softmax(inPlace, inPlace, path);
                Assert.Equal(actual, inPlace);
            }
        }
    }

    [Fact]
    public void SoftmaxOfLargeLogitsIsFiniteWhereTensorPrimitivesGivesNaN()
    {
        float[] x = [100, 99, 20];
        var reference = new float[3];
        TensorPrimitives.SoftMax(x, reference);
        Assert.True(float.IsNaN(reference[0])); // the trap this method exists for (GUIDE §3)

        var actual = new float[3];
        EmbeddingMath.Softmax(x, actual);
        var expected = NumericsReference.Softmax(x);
        Assert.Equal(expected[0], actual[0], 1e-6);
        Assert.Equal(expected[1], actual[1], 1e-6);
        Assert.Equal(expected[2], actual[2], 1e-40);
        Assert.Equal(0.7310586, actual[0], 1e-6);
        Assert.All(actual, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void SoftmaxInPlaceAndWithALongerDestination()
    {
        var x = NumericsReference.Random(100, 3).Select(v => v * 10).ToArray();
        var longer = new float[105];
        longer.AsSpan(100).Fill(-5);
        EmbeddingMath.Softmax(x, longer);
        EmbeddingMath.Softmax(x, x);
        Assert.Equal(longer[..100], x);
        Assert.All(longer[100..], v => Assert.Equal(-5f, v));
    }

    [Theory]
    [InlineData(new[] { 1f, float.NaN, 3f })]
    [InlineData(new[] { float.NaN })]
    [InlineData(new[] { Inf, float.NaN })]
    [InlineData(new[] { float.NegativeInfinity, float.NegativeInfinity })]
    public void SoftmaxIsAllNaNForNaNOrAllNegativeInfinity(float[] x)
    {
        var softmax = new float[x.Length];
        var logSoftmax = new float[x.Length];
        EmbeddingMath.Softmax(x, softmax);
        EmbeddingMath.LogSoftmax(x, logSoftmax);
        Assert.All(softmax, v => Assert.True(float.IsNaN(v)));
        Assert.All(logSoftmax, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void PositiveInfinitiesShareTheMassEqually()
    {
        float[] x = [1, Inf, -3, Inf, float.NegativeInfinity, Inf, 1e30f];
        var softmax = new float[x.Length];
        EmbeddingMath.Softmax(x, softmax);
        Assert.Equal([0f, 1f / 3, 0f, 1f / 3, 0f, 1f / 3, 0f], softmax);

        var logSoftmax = new float[x.Length];
        EmbeddingMath.LogSoftmax(x, logSoftmax);
        var logThird = -MathF.Log(3);
        Assert.Equal([float.NegativeInfinity, logThird, float.NegativeInfinity, logThird, float.NegativeInfinity, logThird, float.NegativeInfinity], logSoftmax);
    }

    [Fact]
    public void SomeNegativeInfinitiesGetZeroMass()
    {
        float[] x = [float.NegativeInfinity, 0, float.NegativeInfinity, 0];
        var softmax = new float[4];
        EmbeddingMath.Softmax(x, softmax);
        Assert.Equal([0f, 0.5f, 0f, 0.5f], softmax);
        var logSoftmax = new float[4];
        EmbeddingMath.LogSoftmax(x, logSoftmax);
        Assert.Equal(float.NegativeInfinity, logSoftmax[0]);
        Assert.Equal(float.NegativeInfinity, logSoftmax[2]);
        Assert.Equal(-MathF.Log(2), logSoftmax[1], 1e-6f); // TensorPrimitives.Exp may be an ulp off (exp(0) = 1.0000001)
        Assert.Equal(-MathF.Log(2), logSoftmax[3], 1e-6f);
        Assert.Equal(MathF.Log(2), EmbeddingMath.LogSumExp(x), 1e-6f);
    }

    [Fact]
    public void LogSoftmaxAndLogSumExpMatchTheReferenceAtEveryLengthOnEveryPath()
    {
        for (var length = 1; length <= 256; length++)
        {
            var x = NumericsReference.Random(length, 3 * length).Select(v => (v * 30) + 500).ToArray(); // far from 0: exp(x) alone overflows
            var lse = LogSumExp(x);
            var max = x.Max();

            // |log s error| ≤ (n + 16)·u for the sum s ≥ 1, plus the roundings of m and of the final additions (relative to their size).
            var lseTolerance = ((length + 16) * Epsilon) + (2 * Math.Abs(lse) * Epsilon);
            foreach (var path in SimdPaths.All)
            {
                var actualLse = EmbeddingMath.LogSumExp(x, path);
                if (!(Math.Abs(actualLse - lse) <= lseTolerance))
                {
                    Assert.Fail($"length {length}, {SimdPaths.Describe(path)}: {actualLse} vs {lse}");
                }

                var actual = new float[length];
                EmbeddingMath.LogSoftmax(x, actual, path);
                for (var i = 0; i < length; i++)
                {
                    var expected = x[i] - lse;
                    var tolerance = (length + 16 + (2 * Math.Abs(x[i] - max)) + (2 * Math.Abs(expected))) * Epsilon;
                    if (!(Math.Abs(actual[i] - expected) <= tolerance))
                    {
                        Assert.Fail($"length {length}, {SimdPaths.Describe(path)}, [{i}]: {actual[i]} vs {expected}");
                    }
                }

                var inPlace = (float[])x.Clone();
                EmbeddingMath.LogSoftmax(inPlace, inPlace, path);
                Assert.Equal(actual, inPlace);
            }
        }
    }

    [Fact]
    public void LogSumExpEdgeCases()
    {
        Assert.Equal(float.NegativeInfinity, EmbeddingMath.LogSumExp([]));
        Assert.Equal(float.NegativeInfinity, EmbeddingMath.LogSumExp([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Equal(Inf, EmbeddingMath.LogSumExp([1, Inf, float.NegativeInfinity]));
        Assert.True(float.IsNaN(EmbeddingMath.LogSumExp([1, Inf, float.NaN])));
        Assert.Equal(1000f + MathF.Log(2), EmbeddingMath.LogSumExp([1000, 1000]), 1e-3f);
        Assert.Equal(-7f, EmbeddingMath.LogSumExp([-7]), 1e-6f);
    }

    [Fact]
    public void EmptyInputWritesNothing()
    {
        var destination = new[] { 3f };
        EmbeddingMath.Softmax([], destination);
        EmbeddingMath.LogSoftmax([], destination);
        EmbeddingMath.Sigmoid([], destination);
        EmbeddingMath.Scale([], 2, destination);
        EmbeddingMath.ApplyTemperature([], 2, destination);
        Assert.Equal(3f, destination[0]);
    }

    [Fact]
    public void SigmoidMatchesTheReferenceAtEveryLengthAndSaturates()
    {
        for (var length = 1; length <= 256; length++)
        {
            var x = NumericsReference.Random(length, 5 + length).Select(v => v * 40).ToArray();
            if (length > 8)
            {
                float[] extremes = [0f, 17f, -17f, 88f, -88f, -100f, 100f];
                extremes.CopyTo(x, 1);
            }

            var actual = new float[length];
            EmbeddingMath.Sigmoid(x, actual);
            for (var i = 0; i < length; i++)
            {
                var expected = Sigmoid(x[i]);

                // A few ulps relative; results under ~1e-38 may flush to 0 (documented).
                if (!(Math.Abs(actual[i] - expected) <= (8 * Epsilon * expected) + 1e-37))
                {
                    Assert.Fail($"length {length}: sigmoid({x[i]}) = {actual[i]} vs {expected}");
                }
            }
        }

        float[] special = [float.NaN, Inf, float.NegativeInfinity];
        var result = new float[3];
        EmbeddingMath.Sigmoid(special, result);
        Assert.True(float.IsNaN(result[0]));
        Assert.Equal(1f, result[1]);
        Assert.Equal(0f, result[2]);
    }

    [Fact]
    public void ScaleAndTemperatureAreExactIeeeOperations()
    {
        for (var length = 0; length <= 256; length++)
        {
            var x = NumericsReference.Random(length, length);
            var scaled = new float[length];
            var tempered = new float[length];
            EmbeddingMath.Scale(x, 100f, scaled);
            EmbeddingMath.ApplyTemperature(x, 0.07f, tempered);
            for (var i = 0; i < length; i++)
            {
                // A float product or quotient is correctly rounded; double then float rounding gives the same for × and ÷.
                Assert.Equal((float)((double)x[i] * 100f), scaled[i]);
                Assert.Equal((float)((double)x[i] / 0.07f), tempered[i]);
            }
        }

        float[] special = [float.NaN, Inf, float.NegativeInfinity, 0];
        var scaledSpecial = new float[4];
        EmbeddingMath.Scale(special, -2, scaledSpecial);
        Assert.True(float.IsNaN(scaledSpecial[0]));
        Assert.Equal([float.NegativeInfinity, Inf, -0f], scaledSpecial[1..]);
        EmbeddingMath.ApplyTemperature(special, 0.5f, scaledSpecial);
        Assert.True(float.IsNaN(scaledSpecial[0]));
        Assert.Equal([Inf, float.NegativeInfinity, 0f], scaledSpecial[1..]);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void TemperatureMustBeFiniteAndPositive(float temperature)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingMath.ApplyTemperature([1f], temperature, new float[1]));
        Assert.Equal("temperature", ex.ParamName);
    }

    [Fact]
    public void DestinationsAreValidated()
    {
        var buffer = new float[10];
        var actions = new Action[]
        {
            () => EmbeddingMath.Softmax(new float[3], new float[2]),
            () => EmbeddingMath.LogSoftmax(new float[3], new float[2]),
            () => EmbeddingMath.Sigmoid(new float[3], new float[2]),
            () => EmbeddingMath.Scale(new float[3], 1, new float[2]),
            () => EmbeddingMath.ApplyTemperature(new float[3], 1, new float[2]),
            () => EmbeddingMath.Softmax(buffer.AsSpan(0, 5), buffer.AsSpan(2, 5)),
            () => EmbeddingMath.LogSoftmax(buffer.AsSpan(2, 5), buffer.AsSpan(0, 5)),
            () => EmbeddingMath.Scale(buffer.AsSpan(0, 5), 1, buffer.AsSpan(1, 5)),
        };
        foreach (var action in actions)
        {
            Assert.Equal("destination", Assert.Throws<ArgumentException>(action).ParamName);
        }
    }
}
