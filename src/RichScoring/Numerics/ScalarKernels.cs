using System.Runtime.CompilerServices;

namespace RichScoring.Numerics;

/// <summary>The scalar fallbacks (no SIMD, or inputs shorter than one vector).</summary>
internal static class ScalarKernels
{
    /// <summary>x·y with four accumulators (independent chains keep the FPU busy).</summary>
    public static float Dot(ref float x, ref float y, nuint length)
    {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        nuint i = 0;
        for (; i + 4 <= length; i += 4)
        {
            a0 += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
            a1 += Unsafe.Add(ref x, i + 1) * Unsafe.Add(ref y, i + 1);
            a2 += Unsafe.Add(ref x, i + 2) * Unsafe.Add(ref y, i + 2);
            a3 += Unsafe.Add(ref x, i + 3) * Unsafe.Add(ref y, i + 3);
        }

        for (; i < length; i++)
        {
            a0 += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        }

        return (a0 + a1) + (a2 + a3);
    }

    /// <summary>x·y, x·x and y·y in one pass.</summary>
    public static float DotAndSquares(ref float x, ref float y, nuint length, out float xx, out float yy)
    {
        float xy = 0, sx = 0, sy = 0;
        for (nuint i = 0; i < length; i++)
        {
            var a = Unsafe.Add(ref x, i);
            var b = Unsafe.Add(ref y, i);
            xy += a * b;
            sx += a * a;
            sy += b * b;
        }

        xx = sx;
        yy = sy;
        return xy;
    }

    /// <summary>Index of the first maximum, NaN skipped; -1 when empty or every element is NaN.</summary>
    public static int ArgMax(ref float values, nuint length)
    {
        var best = -1;
        var max = float.NegativeInfinity;
        for (nuint i = 0; i < length; i++)
        {
            var v = Unsafe.Add(ref values, i);
            if (v > max || (best < 0 && v == max))
            {
                max = v;
                best = (int)i;
            }
        }

        return best;
    }

    /// <summary>destination[i] = exp(x[i] − shift) and their sum (x may be destination itself).</summary>
    public static float ExpShiftedWithSum(ref float x, ref float destination, nuint length, float shift)
    {
        var total = 0f;
        for (nuint i = 0; i < length; i++)
        {
            var e = MathF.Exp(Unsafe.Add(ref x, i) - shift);
            Unsafe.Add(ref destination, i) = e;
            total += e;
        }

        return total;
    }

    /// <summary>Σ exp(x[i] − shift).</summary>
    public static float SumExpShifted(ref float x, nuint length, float shift)
    {
        var total = 0f;
        for (nuint i = 0; i < length; i++)
        {
            total += MathF.Exp(Unsafe.Add(ref x, i) - shift);
        }

        return total;
    }
}
