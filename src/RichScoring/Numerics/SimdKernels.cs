using System.Runtime.CompilerServices;

namespace RichScoring.Numerics;

/// <summary>
/// Width-generic kernels over raw references. Callers guarantee every length is at least one vector
/// (<see cref="Simd.Fit"/>): the ragged end is one masked reload of the last full vector, so no scalar tail remains.
/// </summary>
internal static class SimdKernels
{
    /// <summary>x·y with four independent accumulators (one would leave the FMA pipes waiting on latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot<TOps, TVec>(ref float x, ref float y, nuint length)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        TVec a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        nuint i = 0;
        for (; i + (4 * w) <= length; i += 4 * w)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref x, i), TOps.Load(ref y, i), a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref x, i + w), TOps.Load(ref y, i + w), a1);
            a2 = TOps.MultiplyAdd(TOps.Load(ref x, i + (2 * w)), TOps.Load(ref y, i + (2 * w)), a2);
            a3 = TOps.MultiplyAdd(TOps.Load(ref x, i + (3 * w)), TOps.Load(ref y, i + (3 * w)), a3);
        }

        for (; i + w <= length; i += w)
        {
            a0 = TOps.MultiplyAdd(TOps.Load(ref x, i), TOps.Load(ref y, i), a0);
        }

        if (i < length)
        {
            // Both operands are masked: masking one alone would turn an already-counted Inf into 0 * Inf = NaN.
            var mask = TOps.TailMask((int)(length - i));
            var last = length - w;
            a1 = TOps.MultiplyAdd(TOps.And(TOps.Load(ref x, last), mask), TOps.And(TOps.Load(ref y, last), mask), a1);
        }

        return TOps.Sum(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)));
    }

    /// <summary>x·y, x·x and y·y in one pass (for the cosine).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DotAndSquares<TOps, TVec>(ref float x, ref float y, nuint length, out float xx, out float yy)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        TVec xy0 = TOps.Zero, xy1 = TOps.Zero, xx0 = TOps.Zero, xx1 = TOps.Zero, yy0 = TOps.Zero, yy1 = TOps.Zero;
        nuint i = 0;
        for (; i + (2 * w) <= length; i += 2 * w)
        {
            var x0 = TOps.Load(ref x, i);
            var y0 = TOps.Load(ref y, i);
            var x1 = TOps.Load(ref x, i + w);
            var y1 = TOps.Load(ref y, i + w);
            xy0 = TOps.MultiplyAdd(x0, y0, xy0);
            xx0 = TOps.MultiplyAdd(x0, x0, xx0);
            yy0 = TOps.MultiplyAdd(y0, y0, yy0);
            xy1 = TOps.MultiplyAdd(x1, y1, xy1);
            xx1 = TOps.MultiplyAdd(x1, x1, xx1);
            yy1 = TOps.MultiplyAdd(y1, y1, yy1);
        }

        if (i + w <= length)
        {
            var x0 = TOps.Load(ref x, i);
            var y0 = TOps.Load(ref y, i);
            xy0 = TOps.MultiplyAdd(x0, y0, xy0);
            xx0 = TOps.MultiplyAdd(x0, x0, xx0);
            yy0 = TOps.MultiplyAdd(y0, y0, yy0);
            i += w;
        }

        if (i < length)
        {
            var mask = TOps.TailMask((int)(length - i));
            var last = length - w;
            var x1 = TOps.And(TOps.Load(ref x, last), mask);
            var y1 = TOps.And(TOps.Load(ref y, last), mask);
            xy1 = TOps.MultiplyAdd(x1, y1, xy1);
            xx1 = TOps.MultiplyAdd(x1, x1, xx1);
            yy1 = TOps.MultiplyAdd(y1, y1, yy1);
        }

        xx = TOps.Sum(TOps.Add(xx0, xx1));
        yy = TOps.Sum(TOps.Add(yy0, yy1));
        return TOps.Sum(TOps.Add(xy0, xy1));
    }

    /// <summary>
    /// Index of the first maximum, NaN skipped; -1 when every element is NaN. Two passes: the NaN-free maximum
    /// (NaN lanes read as -Inf), then the first element equal to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ArgMax<TOps, TVec>(ref float values, nuint length)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        var negativeInfinity = TOps.Create(float.NegativeInfinity);
        var max = TOps.ReplaceNaN(TOps.Load(ref values, 0), negativeInfinity);
        nuint i = w;
        for (; i + w <= length; i += w)
        {
            max = TOps.Max(max, TOps.ReplaceNaN(TOps.Load(ref values, i), negativeInfinity));
        }

        if (i < length)
        {
            // The overlapping reload only re-reads elements already seen: harmless for a maximum.
            max = TOps.Max(max, TOps.ReplaceNaN(TOps.Load(ref values, length - w), negativeInfinity));
        }

        var target = TOps.Create(TOps.MaxAcross(max));
        for (i = 0; i + w <= length; i += w)
        {
            var lane = TOps.IndexOfFirstEqual(TOps.Load(ref values, i), target);
            if (lane >= 0)
            {
                return (int)i + lane;
            }
        }

        if (i < length)
        {
            var lane = TOps.IndexOfFirstEqual(TOps.Load(ref values, length - w), target);
            if (lane >= 0)
            {
                return (int)(length - w) + lane;
            }
        }

        return -1; // every element is NaN (the maximum read as -Inf and nothing equals it)
    }

    /// <summary>
    /// destination[i] = exp(x[i] − shift) and their sum, in one pass. <paramref name="x"/> may be
    /// <paramref name="destination"/> itself, so the ragged end is finished element by element rather than by re-reading
    /// an overlapping vector that may already hold results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpShiftedWithSum<TOps, TVec>(ref float x, ref float destination, nuint length, float shift)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        var s = TOps.Create(shift);
        TVec sum0 = TOps.Zero, sum1 = TOps.Zero;
        nuint i = 0;
        for (; i + (2 * w) <= length; i += 2 * w)
        {
            var e0 = TOps.Exp(TOps.Subtract(TOps.Load(ref x, i), s));
            var e1 = TOps.Exp(TOps.Subtract(TOps.Load(ref x, i + w), s));
            TOps.Store(e0, ref destination, i);
            TOps.Store(e1, ref destination, i + w);
            sum0 = TOps.Add(sum0, e0);
            sum1 = TOps.Add(sum1, e1);
        }

        for (; i + w <= length; i += w)
        {
            var e = TOps.Exp(TOps.Subtract(TOps.Load(ref x, i), s));
            TOps.Store(e, ref destination, i);
            sum0 = TOps.Add(sum0, e);
        }

        var total = TOps.Sum(TOps.Add(sum0, sum1));
        for (; i < length; i++)
        {
            var e = MathF.Exp(Unsafe.Add(ref x, i) - shift);
            Unsafe.Add(ref destination, i) = e;
            total += e;
        }

        return total;
    }

    /// <summary>Σ exp(x[i] − shift) in one pass, nothing stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumExpShifted<TOps, TVec>(ref float x, nuint length, float shift)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        var s = TOps.Create(shift);
        TVec sum0 = TOps.Zero, sum1 = TOps.Zero;
        nuint i = 0;
        for (; i + (2 * w) <= length; i += 2 * w)
        {
            sum0 = TOps.Add(sum0, TOps.Exp(TOps.Subtract(TOps.Load(ref x, i), s)));
            sum1 = TOps.Add(sum1, TOps.Exp(TOps.Subtract(TOps.Load(ref x, i + w), s)));
        }

        for (; i + w <= length; i += w)
        {
            sum0 = TOps.Add(sum0, TOps.Exp(TOps.Subtract(TOps.Load(ref x, i), s)));
        }

        if (i < length)
        {
            // Nothing is stored, so the last full vector can be re-read; lanes already counted are masked to 0.
            var e = TOps.Exp(TOps.Subtract(TOps.Load(ref x, length - w), s));
            sum1 = TOps.Add(sum1, TOps.And(e, TOps.TailMask((int)(length - i))));
        }

        return TOps.Sum(TOps.Add(sum0, sum1));
    }
}
