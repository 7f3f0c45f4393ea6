using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RichScoring.Numerics;

public static partial class EmbeddingMath
{
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
    public static void Softmax(ReadOnlySpan<float> x, Span<float> destination) => Softmax(x, destination, Simd.Best);

    internal static void Softmax(ReadOnlySpan<float> x, Span<float> destination, SimdPath path)
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

        var sum = ExpShiftedWithSum(x, destination, max, path); // ≥ 1: the maximum contributes exp(0)
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
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> destination) => LogSoftmax(x, destination, Simd.Best);

    internal static void LogSoftmax(ReadOnlySpan<float> x, Span<float> destination, SimdPath path)
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

        var logSum = MathF.Log(SumExpShifted(x, max, path)); // read x before writing: destination may be x
        TensorPrimitives.Subtract(x, max, destination);
        TensorPrimitives.Subtract(destination, logSum, destination);
    }

    /// <summary>log Σ exp(xᵢ), computed as m + log Σ exp(xᵢ − m) with m = max(x) so that it never overflows.</summary>
    /// <param name="x">The values.</param>
    /// <returns>
    /// The log-sum-exp: −Inf for empty input (the log of an empty sum) and for all −Inf; NaN when any element is NaN;
    /// +Inf when any element is +Inf (and none is NaN).
    /// </returns>
    public static float LogSumExp(ReadOnlySpan<float> x) => LogSumExp(x, Simd.Best);

    internal static float LogSumExp(ReadOnlySpan<float> x, SimdPath path)
    {
        if (x.IsEmpty)
        {
            return float.NegativeInfinity;
        }

        var max = TensorPrimitives.Max(x);
        return float.IsFinite(max) ? max + MathF.Log(SumExpShifted(x, max, path)) : max;
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

    /// <summary>destination[i] = exp(x[i] − shift), returning their sum (one fused pass).</summary>
    private static float ExpShiftedWithSum(ReadOnlySpan<float> x, Span<float> destination, float shift, SimdPath path)
    {
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)x.Length;
        return Simd.Fit(path, x.Length) switch
        {
            SimdPath.Vector512 => SimdKernels.ExpShiftedWithSum<Vector512Ops, Vector512<float>>(ref source, ref target, length, shift),
            SimdPath.Vector256 => SimdKernels.ExpShiftedWithSum<Vector256Ops, Vector256<float>>(ref source, ref target, length, shift),
            SimdPath.Vector128 => SimdKernels.ExpShiftedWithSum<Vector128Ops, Vector128<float>>(ref source, ref target, length, shift),
            _ => ScalarKernels.ExpShiftedWithSum(ref source, ref target, length, shift),
        };
    }

    /// <summary>Σ exp(x[i] − shift) for a finite shift = max(x): at least 1, never overflows.</summary>
    private static float SumExpShifted(ReadOnlySpan<float> x, float shift, SimdPath path)
    {
        ref var source = ref MemoryMarshal.GetReference(x);
        var length = (nuint)x.Length;
        return Simd.Fit(path, x.Length) switch
        {
            SimdPath.Vector512 => SimdKernels.SumExpShifted<Vector512Ops, Vector512<float>>(ref source, length, shift),
            SimdPath.Vector256 => SimdKernels.SumExpShifted<Vector256Ops, Vector256<float>>(ref source, length, shift),
            SimdPath.Vector128 => SimdKernels.SumExpShifted<Vector128Ops, Vector128<float>>(ref source, length, shift),
            _ => ScalarKernels.SumExpShifted(ref source, length, shift),
        };
    }
}
