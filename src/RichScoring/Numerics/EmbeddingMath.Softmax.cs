using System.Numerics.Tensors;

namespace RichScoring.Numerics;

public static partial class EmbeddingMath
{
    /// <summary>Floats per stack chunk when a sum of exponentials needs scratch space (1 KiB of stack).</summary>
    private const int ExpChunk = 256;

    /// <summary>
    /// The softmax exp(xᵢ − m) / Σⱼ exp(xⱼ − m) with m = max(x): subtracting the maximum keeps it finite for logits
    /// of any size (a plain exp(xᵢ) / Σ exp(xⱼ) gives NaN for [100, 99, 20]).
    /// </summary>
    /// <param name="x">The logits.</param>
    /// <param name="destination">
    /// At least as long as <paramref name="x"/>; its first <c>x.Length</c> values are written. It may be the same memory as
    /// <paramref name="x"/>, but must not otherwise overlap it.
    /// </param>
    /// <remarks>
    /// Empty input writes nothing. Any NaN makes every output NaN. +Inf entries share the whole mass equally (the limit
    /// as they grow) and all others get 0. All −Inf has no limit and gives all NaN; some −Inf among finite values get 0.
    /// </remarks>
    /// <exception cref="ArgumentException">The destination is too short or partly overlaps <paramref name="x"/>.</exception>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> destination)
    {
        ValidateDestination(x, destination);
        if (x.IsEmpty)
        {
            return;
        }

        destination = destination[..x.Length];
        var max = TensorPrimitives.Max(x); // NaN when any element is NaN
        if (float.IsNaN(max) || float.IsNegativeInfinity(max))
        {
            destination.Fill(float.NaN);
            return;
        }

        if (float.IsPositiveInfinity(max))
        {
            var share = 1f / CountPositiveInfinity(x);
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = float.IsPositiveInfinity(x[i]) ? share : 0f;
            }

            return;
        }

        TensorPrimitives.Subtract(x, max, destination);
        TensorPrimitives.Exp(destination, destination);
        var sum = TensorPrimitives.Sum(destination); // ≥ 1: the maximum contributes exp(0)
        TensorPrimitives.Divide(destination, sum, destination);
    }

    /// <summary>The log-softmax xᵢ − m − log Σⱼ exp(xⱼ − m), m = max(x), without forming the softmax first.</summary>
    /// <param name="x">The logits.</param>
    /// <param name="destination">
    /// At least as long as <paramref name="x"/>; its first <c>x.Length</c> values are written. It may be the same memory as
    /// <paramref name="x"/>, but must not otherwise overlap it.
    /// </param>
    /// <remarks>
    /// Empty input writes nothing. Any NaN makes every output NaN. With k entries at +Inf, those get −log k and all
    /// others −Inf (the log of the softmax limit). All −Inf gives all NaN; some −Inf among finite values give −Inf.
    /// </remarks>
    /// <exception cref="ArgumentException">The destination is too short or partly overlaps <paramref name="x"/>.</exception>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> destination)
    {
        ValidateDestination(x, destination);
        if (x.IsEmpty)
        {
            return;
        }

        destination = destination[..x.Length];
        var max = TensorPrimitives.Max(x);
        if (float.IsNaN(max) || float.IsNegativeInfinity(max))
        {
            destination.Fill(float.NaN);
            return;
        }

        if (float.IsPositiveInfinity(max))
        {
            var logShare = -MathF.Log(CountPositiveInfinity(x));
            for (var i = 0; i < x.Length; i++)
            {
                destination[i] = float.IsPositiveInfinity(x[i]) ? logShare : float.NegativeInfinity;
            }

            return;
        }

        var logSum = MathF.Log(SumExpShifted(x, max)); // read x before writing: destination may be x
        TensorPrimitives.Subtract(x, max, destination);
        TensorPrimitives.Subtract(destination, logSum, destination);
    }

    /// <summary>log Σ exp(xᵢ), computed as m + log Σ exp(xᵢ − m) with m = max(x) so that it never overflows.</summary>
    /// <param name="x">The values.</param>
    /// <returns>
    /// The log-sum-exp: −Inf for empty input (the log of an empty sum) and for all −Inf; NaN when any element is NaN;
    /// +Inf when any element is +Inf (and none is NaN).
    /// </returns>
    public static float LogSumExp(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty)
        {
            return float.NegativeInfinity;
        }

        var max = TensorPrimitives.Max(x);
        return float.IsFinite(max) ? max + MathF.Log(SumExpShifted(x, max)) : max;
    }

    /// <summary>The logistic function 1 / (1 + exp(−xᵢ)) (SigLIP turns its logits into probabilities with it).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="destination">
    /// At least as long as <paramref name="x"/>; its first <c>x.Length</c> values are written. It may be the same memory as
    /// <paramref name="x"/>, but must not otherwise overlap it.
    /// </param>
    /// <remarks>
    /// NaN gives NaN, +Inf gives 1, −Inf gives 0. Results saturate to exactly 1 above about 17 and reach 0 below about −88.
    /// </remarks>
    /// <exception cref="ArgumentException">The destination is too short or partly overlaps <paramref name="x"/>.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination)
    {
        ValidateDestination(x, destination);
        if (!x.IsEmpty)
        {
            TensorPrimitives.Sigmoid(x, destination[..x.Length]);
        }
    }

    /// <summary>Multiplies every value by <paramref name="factor"/> (the logit scale, e.g. 100 for CLIP).</summary>
    /// <param name="x">The values.</param>
    /// <param name="factor">The factor; any float (IEEE arithmetic: NaN or ±Inf factors give what IEEE gives).</param>
    /// <param name="destination">
    /// At least as long as <paramref name="x"/>; its first <c>x.Length</c> values are written. It may be the same memory as
    /// <paramref name="x"/>, but must not otherwise overlap it.
    /// </param>
    /// <exception cref="ArgumentException">The destination is too short or partly overlaps <paramref name="x"/>.</exception>
    public static void Scale(ReadOnlySpan<float> x, float factor, Span<float> destination)
    {
        ValidateDestination(x, destination);
        if (!x.IsEmpty)
        {
            TensorPrimitives.Multiply(x, factor, destination[..x.Length]);
        }
    }

    /// <summary>Divides every value by <paramref name="temperature"/> (T &lt; 1 sharpens a following softmax, T &gt; 1 flattens it).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="temperature">The temperature: finite and greater than 0.</param>
    /// <param name="destination">
    /// At least as long as <paramref name="x"/>; its first <c>x.Length</c> values are written. It may be the same memory as
    /// <paramref name="x"/>, but must not otherwise overlap it.
    /// </param>
    /// <remarks>NaN and ±Inf values propagate as IEEE division does.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is not a finite positive number.</exception>
    /// <exception cref="ArgumentException">The destination is too short or partly overlaps <paramref name="x"/>.</exception>
    public static void ApplyTemperature(ReadOnlySpan<float> x, float temperature, Span<float> destination)
    {
        if (!(temperature > 0f) || !float.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a finite number greater than 0.");
        }

        ValidateDestination(x, destination);
        if (!x.IsEmpty)
        {
            TensorPrimitives.Divide(x, temperature, destination[..x.Length]);
        }
    }

    private static int CountPositiveInfinity(ReadOnlySpan<float> x)
    {
        var count = 0;
        foreach (var value in x)
        {
            if (float.IsPositiveInfinity(value))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Σ exp(xᵢ − shift) for finite shift = max(x), through a stack chunk (no heap, input untouched). At least 1.</summary>
    private static float SumExpShifted(ReadOnlySpan<float> x, float shift)
    {
        Span<float> scratch = stackalloc float[ExpChunk];
        double sum = 0; // the chunk sums are exact enough in float; their total is kept in double
        for (var start = 0; start < x.Length; start += ExpChunk)
        {
            var chunk = x.Slice(start, Math.Min(ExpChunk, x.Length - start));
            var part = scratch[..chunk.Length];
            TensorPrimitives.Subtract(chunk, shift, part);
            TensorPrimitives.Exp(part, part);
            sum += TensorPrimitives.Sum(part);
        }

        return (float)sum;
    }
}
