using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RichScoring.Numerics;

/// <summary>
/// Allocation-free vector math for embeddings: dot products, cosines, row normalisation, the query × candidate
/// similarity matrix, numerically stable softmax family, and top-k selection. Span in, span out.
/// </summary>
/// <remarks>
/// <para>
/// Kernels run at the widest SIMD width the hardware accelerates (512, 256 or 128 bits, else scalar). Float sums are
/// accumulated in a different order than a sequential loop would use, so results may differ from one in the last
/// bits; they agree with an exact (double) dot product within about <c>(length + 2) · 2⁻²⁴ · Σ|xᵢ·yᵢ|</c>.
/// </para>
/// <para>
/// Non-finite input, in short: the arithmetic members (<see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, <see cref="SimilarityMatrix(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, SimilarityOptions)"/>,
/// <see cref="Scale"/>, <see cref="ApplyTemperature"/>, <see cref="Sigmoid"/>) propagate NaN and ±Inf as IEEE 754
/// arithmetic does; the normalising members (<see cref="Cosine(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, <see cref="NormalizeRows(Span{float}, int)"/>) give
/// NaN for a vector holding NaN or ±Inf; the softmax family gives all-NaN output when any input is NaN and treats
/// +Inf as the limit; the selection members (<see cref="TopK"/>, <see cref="ArgMax(ReadOnlySpan{float})"/>) skip NaN. Each member says
/// exactly what it does.
/// </para>
/// <para>
/// Destinations may be exactly the same memory as an input where a member says so; any other overlap is rejected.
/// All members are thread-safe (they keep no state).
/// </para>
/// </remarks>
public static partial class EmbeddingMath
{
    /// <summary>
    /// Below this (or at Inf/NaN) a float sum of squares may have under- or overflowed, and the careful path
    /// (a double-precision recomputation) takes over. CLIP-like embeddings never get near it.
    /// </summary>
    private const float SafeSquareSumMin = 1e-30f;

    /// <summary>The dot product Σ xᵢ·yᵢ.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector, as long as <paramref name="x"/>.</param>
    /// <returns>
    /// The dot product; 0 for empty vectors. NaN and ±Inf propagate as in IEEE arithmetic (NaN in, NaN out;
    /// Inf · 0 and Inf − Inf give NaN).
    /// </returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Dot(x, y, Simd.Best);

    /// <summary>The cosine similarity x·y / (‖x‖·‖y‖), clamped to [−1, 1].</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector, as long as <paramref name="x"/>.</param>
    /// <returns>
    /// The cosine; 0 when either vector has zero norm (so also for empty vectors); NaN when either vector holds NaN
    /// or ±Inf. Very large or very small finite values are handled exactly (recomputed in double precision).
    /// </returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Cosine(x, y, Simd.Best);

    /// <summary>Scales each row of a row-major matrix to unit L2 norm, in place.</summary>
    /// <param name="matrix">Rows × <paramref name="dimension"/> values, row-major.</param>
    /// <param name="dimension">The row length.</param>
    /// <remarks>
    /// A zero row stays zero (no NaN). A row holding NaN or ±Inf becomes all NaN, so a broken embedding cannot pass
    /// for a plausible one. Rows of very large or very small finite values are normalised correctly (the norm is then
    /// recomputed in double precision).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="matrix"/> is not a multiple of <paramref name="dimension"/>.</exception>
    public static void NormalizeRows(Span<float> matrix, int dimension) => NormalizeRows(matrix, dimension, matrix, Simd.Best);

    /// <summary>Writes each row of a row-major matrix scaled to unit L2 norm (see <see cref="NormalizeRows(Span{float}, int)"/>).</summary>
    /// <param name="source">Rows × <paramref name="dimension"/> values, row-major.</param>
    /// <param name="dimension">The row length.</param>
    /// <param name="destination">
    /// At least as long as <paramref name="source"/>; its first <c>source.Length</c> values are written. It may be the
    /// same memory as <paramref name="source"/>, but must not otherwise overlap it.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="source"/> is not a multiple of <paramref name="dimension"/>, the destination is too
    /// short, or it partly overlaps the source.
    /// </exception>
    public static void NormalizeRows(ReadOnlySpan<float> source, int dimension, Span<float> destination) =>
        NormalizeRows(source, dimension, destination, Simd.Best);

    /// <summary>The index of the first largest value, skipping NaN.</summary>
    /// <param name="values">The values.</param>
    /// <returns>
    /// The lowest index holding the maximum (−0 and +0 count as equal); −1 when <paramref name="values"/> is empty or
    /// all NaN. +Inf is an ordinary maximum; an all −Inf input gives 0.
    /// </returns>
    public static int ArgMax(ReadOnlySpan<float> values) => ArgMax(values, Simd.Best);

    internal static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y, SimdPath path)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The vectors must have the same length ({x.Length} and {y.Length}).", nameof(y));
        }

        return DotUnchecked(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length, path);
    }

    internal static float Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y, SimdPath path)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The vectors must have the same length ({x.Length} and {y.Length}).", nameof(y));
        }

        ref var xRef = ref MemoryMarshal.GetReference(x);
        ref var yRef = ref MemoryMarshal.GetReference(y);
        var length = (nuint)x.Length;
        float xx, yy, xy;
        switch (Simd.Fit(path, x.Length))
        {
            case SimdPath.Vector512:
                xy = SimdKernels.DotAndSquares<Vector512Ops, Vector512<float>>(ref xRef, ref yRef, length, out xx, out yy);
                break;
            case SimdPath.Vector256:
                xy = SimdKernels.DotAndSquares<Vector256Ops, Vector256<float>>(ref xRef, ref yRef, length, out xx, out yy);
                break;
            case SimdPath.Vector128:
                xy = SimdKernels.DotAndSquares<Vector128Ops, Vector128<float>>(ref xRef, ref yRef, length, out xx, out yy);
                break;
            default:
                xy = ScalarKernels.DotAndSquares(ref xRef, ref yRef, length, out xx, out yy);
                break;
        }

        // |x·y| ≤ max(x·x, y·y), so finite squares mean the dot did not overflow either.
        if (IsSafeSquareSum(xx) && IsSafeSquareSum(yy))
        {
            return Math.Clamp(xy / (MathF.Sqrt(xx) * MathF.Sqrt(yy)), -1f, 1f);
        }

        return CosineCareful(x, y);
    }

    internal static void NormalizeRows(Span<float> matrix, int dimension, SimdPath path) => NormalizeRows(matrix, dimension, matrix, path);

    internal static void NormalizeRows(ReadOnlySpan<float> source, int dimension, Span<float> destination, SimdPath path)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (source.Length % dimension != 0)
        {
            throw new ArgumentException($"The matrix length ({source.Length}) must be a multiple of the dimension ({dimension}).", nameof(source));
        }

        ValidateDestination(source, destination);
        for (var start = 0; start < source.Length; start += dimension)
        {
            var row = source.Slice(start, dimension);
            var target = destination.Slice(start, dimension);
            var squares = DotUnchecked(ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(row), dimension, path);
            if (IsSafeSquareSum(squares))
            {
                TensorPrimitives.Divide(row, MathF.Sqrt(squares), target);
            }
            else
            {
                NormalizeRowCareful(row, target);
            }
        }
    }

    internal static int ArgMax(ReadOnlySpan<float> values, SimdPath path)
    {
        ref var first = ref MemoryMarshal.GetReference(values);
        var length = (nuint)values.Length;
        return Simd.Fit(path, values.Length) switch
        {
            SimdPath.Vector512 => SimdKernels.ArgMax<Vector512Ops, Vector512<float>>(ref first, length),
            SimdPath.Vector256 => SimdKernels.ArgMax<Vector256Ops, Vector256<float>>(ref first, length),
            SimdPath.Vector128 => SimdKernels.ArgMax<Vector128Ops, Vector128<float>>(ref first, length),
            _ => ScalarKernels.ArgMax(ref first, length),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotUnchecked(ref float x, ref float y, int length, SimdPath path) => Simd.Fit(path, length) switch
    {
        SimdPath.Vector512 => SimdKernels.Dot<Vector512Ops, Vector512<float>>(ref x, ref y, (nuint)length),
        SimdPath.Vector256 => SimdKernels.Dot<Vector256Ops, Vector256<float>>(ref x, ref y, (nuint)length),
        SimdPath.Vector128 => SimdKernels.Dot<Vector128Ops, Vector128<float>>(ref x, ref y, (nuint)length),
        _ => ScalarKernels.Dot(ref x, ref y, (nuint)length),
    };

    private static bool IsSafeSquareSum(float value) => value >= SafeSquareSumMin && float.IsFinite(value);

    /// <summary>The rare path: non-finite input, a zero vector, or squares that left the float range.</summary>
    private static float CosineCareful(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (!AllFinite(x) || !AllFinite(y))
        {
            return float.NaN;
        }

        double xy = 0, xx = 0, yy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            xy += (double)x[i] * y[i];
            xx += (double)x[i] * x[i];
            yy += (double)y[i] * y[i];
        }

        return xx == 0 || yy == 0 ? 0f : (float)Math.Clamp(xy / (Math.Sqrt(xx) * Math.Sqrt(yy)), -1d, 1d);
    }

    private static void NormalizeRowCareful(ReadOnlySpan<float> row, Span<float> target)
    {
        if (!AllFinite(row))
        {
            target.Fill(float.NaN);
            return;
        }

        double squares = 0;
        foreach (var value in row)
        {
            squares += (double)value * value;
        }

        if (squares == 0)
        {
            row.CopyTo(target); // all zeros stay (signed) zeros
            return;
        }

        var norm = Math.Sqrt(squares);
        for (var i = 0; i < row.Length; i++)
        {
            target[i] = (float)(row[i] / norm);
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The destination must be long enough and either be the source itself or not overlap it at all.</summary>
    private static void ValidateDestination(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"The destination ({destination.Length}) is shorter than the input ({source.Length}).", nameof(destination));
        }

        if (source.Overlaps(destination, out var offset) && offset != 0)
        {
            throw new ArgumentException("The destination must be the input itself or must not overlap it.", nameof(destination));
        }
    }
}
