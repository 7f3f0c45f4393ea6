using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RichScoring.Numerics;

/// <summary>
/// The similarity-matrix micro-kernels: a block of queries × candidates kept in registers over the whole dimension.
/// 3 queries × 4 candidates = 12 accumulators + 3 query vectors + 1 candidate vector = 16 registers, which is all
/// x64 AVX2 has; per step 7 loads feed 12 FMAs, so the FMA pipes (not the load ports) set the pace.
/// Callers guarantee dimension ≥ one vector (<see cref="Simd.Fit"/>).
/// </summary>
internal static class MatrixKernels
{
    /// <summary>Queries per register block.</summary>
    public const int BlockQueries = 3;

    /// <summary>Candidates per register block.</summary>
    public const int BlockCandidates = 4;

    /// <summary>
    /// destination[i * destinationStride + j] = query[i]·candidate[j] for i &lt; 3, j &lt; 4; the queries and the
    /// candidates are consecutive rows of length <paramref name="dimension"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block3x4<TOps, TVec>(ref float queries, ref float candidates, nuint dimension, ref float destination, nuint destinationStride)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        ref var q0Row = ref queries;
        ref var q1Row = ref Unsafe.Add(ref queries, dimension);
        ref var q2Row = ref Unsafe.Add(ref queries, 2 * dimension);
        ref var c0Row = ref candidates;
        ref var c1Row = ref Unsafe.Add(ref candidates, dimension);
        ref var c2Row = ref Unsafe.Add(ref candidates, 2 * dimension);
        ref var c3Row = ref Unsafe.Add(ref candidates, 3 * dimension);
        TVec s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero;
        TVec s10 = TOps.Zero, s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero;
        TVec s20 = TOps.Zero, s21 = TOps.Zero, s22 = TOps.Zero, s23 = TOps.Zero;
        nuint k = 0;
        for (; k + (2 * w) <= dimension; k += 2 * w)
        {
            var q0 = TOps.Load(ref q0Row, k);
            var q1 = TOps.Load(ref q1Row, k);
            var q2 = TOps.Load(ref q2Row, k);
            var c = TOps.Load(ref c0Row, k);
            s00 = TOps.MultiplyAdd(q0, c, s00);
            s10 = TOps.MultiplyAdd(q1, c, s10);
            s20 = TOps.MultiplyAdd(q2, c, s20);
            c = TOps.Load(ref c1Row, k);
            s01 = TOps.MultiplyAdd(q0, c, s01);
            s11 = TOps.MultiplyAdd(q1, c, s11);
            s21 = TOps.MultiplyAdd(q2, c, s21);
            c = TOps.Load(ref c2Row, k);
            s02 = TOps.MultiplyAdd(q0, c, s02);
            s12 = TOps.MultiplyAdd(q1, c, s12);
            s22 = TOps.MultiplyAdd(q2, c, s22);
            c = TOps.Load(ref c3Row, k);
            s03 = TOps.MultiplyAdd(q0, c, s03);
            s13 = TOps.MultiplyAdd(q1, c, s13);
            s23 = TOps.MultiplyAdd(q2, c, s23);
            q0 = TOps.Load(ref q0Row, k + w);
            q1 = TOps.Load(ref q1Row, k + w);
            q2 = TOps.Load(ref q2Row, k + w);
            c = TOps.Load(ref c0Row, k + w);
            s00 = TOps.MultiplyAdd(q0, c, s00);
            s10 = TOps.MultiplyAdd(q1, c, s10);
            s20 = TOps.MultiplyAdd(q2, c, s20);
            c = TOps.Load(ref c1Row, k + w);
            s01 = TOps.MultiplyAdd(q0, c, s01);
            s11 = TOps.MultiplyAdd(q1, c, s11);
            s21 = TOps.MultiplyAdd(q2, c, s21);
            c = TOps.Load(ref c2Row, k + w);
            s02 = TOps.MultiplyAdd(q0, c, s02);
            s12 = TOps.MultiplyAdd(q1, c, s12);
            s22 = TOps.MultiplyAdd(q2, c, s22);
            c = TOps.Load(ref c3Row, k + w);
            s03 = TOps.MultiplyAdd(q0, c, s03);
            s13 = TOps.MultiplyAdd(q1, c, s13);
            s23 = TOps.MultiplyAdd(q2, c, s23);
        }

        for (; k + w <= dimension; k += w)
        {
            var q0 = TOps.Load(ref q0Row, k);
            var q1 = TOps.Load(ref q1Row, k);
            var q2 = TOps.Load(ref q2Row, k);
            var c = TOps.Load(ref c0Row, k);
            s00 = TOps.MultiplyAdd(q0, c, s00);
            s10 = TOps.MultiplyAdd(q1, c, s10);
            s20 = TOps.MultiplyAdd(q2, c, s20);
            c = TOps.Load(ref c1Row, k);
            s01 = TOps.MultiplyAdd(q0, c, s01);
            s11 = TOps.MultiplyAdd(q1, c, s11);
            s21 = TOps.MultiplyAdd(q2, c, s21);
            c = TOps.Load(ref c2Row, k);
            s02 = TOps.MultiplyAdd(q0, c, s02);
            s12 = TOps.MultiplyAdd(q1, c, s12);
            s22 = TOps.MultiplyAdd(q2, c, s22);
            c = TOps.Load(ref c3Row, k);
            s03 = TOps.MultiplyAdd(q0, c, s03);
            s13 = TOps.MultiplyAdd(q1, c, s13);
            s23 = TOps.MultiplyAdd(q2, c, s23);
        }

        if (k < dimension)
        {
            // One masked reload of the last full vector (both operands masked, so an Inf already counted is not
            // multiplied by 0 into a NaN).
            var mask = TOps.TailMask((int)(dimension - k));
            var last = dimension - w;
            var q0 = TOps.And(TOps.Load(ref q0Row, last), mask);
            var q1 = TOps.And(TOps.Load(ref q1Row, last), mask);
            var q2 = TOps.And(TOps.Load(ref q2Row, last), mask);
            var c = TOps.And(TOps.Load(ref c0Row, last), mask);
            s00 = TOps.MultiplyAdd(q0, c, s00);
            s10 = TOps.MultiplyAdd(q1, c, s10);
            s20 = TOps.MultiplyAdd(q2, c, s20);
            c = TOps.And(TOps.Load(ref c1Row, last), mask);
            s01 = TOps.MultiplyAdd(q0, c, s01);
            s11 = TOps.MultiplyAdd(q1, c, s11);
            s21 = TOps.MultiplyAdd(q2, c, s21);
            c = TOps.And(TOps.Load(ref c2Row, last), mask);
            s02 = TOps.MultiplyAdd(q0, c, s02);
            s12 = TOps.MultiplyAdd(q1, c, s12);
            s22 = TOps.MultiplyAdd(q2, c, s22);
            c = TOps.And(TOps.Load(ref c3Row, last), mask);
            s03 = TOps.MultiplyAdd(q0, c, s03);
            s13 = TOps.MultiplyAdd(q1, c, s13);
            s23 = TOps.MultiplyAdd(q2, c, s23);
        }

        TOps.Sum4(s00, s01, s02, s03).StoreUnsafe(ref destination);
        TOps.Sum4(s10, s11, s12, s13).StoreUnsafe(ref Unsafe.Add(ref destination, destinationStride));
        TOps.Sum4(s20, s21, s22, s23).StoreUnsafe(ref Unsafe.Add(ref destination, 2 * destinationStride));
    }

    /// <summary>
    /// The dot products of one query with four candidate rows <paramref name="candidateStride"/> floats apart (adjacent
    /// rows for the queries left over after the 3-query blocks; rows far apart when streaming from DRAM).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Block1x4<TOps, TVec>(ref float query, ref float candidates, nuint dimension, nuint candidateStride)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var w = (nuint)TOps.Count;
        ref var c0Row = ref candidates;
        ref var c1Row = ref Unsafe.Add(ref candidates, candidateStride);
        ref var c2Row = ref Unsafe.Add(ref candidates, 2 * candidateStride);
        ref var c3Row = ref Unsafe.Add(ref candidates, 3 * candidateStride);

        // Two accumulators per candidate: one chain per candidate would be bound by FMA latency.
        TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        TVec t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero;
        nuint k = 0;
        for (; k + (2 * w) <= dimension; k += 2 * w)
        {
            var q = TOps.Load(ref query, k);
            s0 = TOps.MultiplyAdd(q, TOps.Load(ref c0Row, k), s0);
            s1 = TOps.MultiplyAdd(q, TOps.Load(ref c1Row, k), s1);
            s2 = TOps.MultiplyAdd(q, TOps.Load(ref c2Row, k), s2);
            s3 = TOps.MultiplyAdd(q, TOps.Load(ref c3Row, k), s3);
            q = TOps.Load(ref query, k + w);
            t0 = TOps.MultiplyAdd(q, TOps.Load(ref c0Row, k + w), t0);
            t1 = TOps.MultiplyAdd(q, TOps.Load(ref c1Row, k + w), t1);
            t2 = TOps.MultiplyAdd(q, TOps.Load(ref c2Row, k + w), t2);
            t3 = TOps.MultiplyAdd(q, TOps.Load(ref c3Row, k + w), t3);
        }

        if (k + w <= dimension)
        {
            var q = TOps.Load(ref query, k);
            s0 = TOps.MultiplyAdd(q, TOps.Load(ref c0Row, k), s0);
            s1 = TOps.MultiplyAdd(q, TOps.Load(ref c1Row, k), s1);
            s2 = TOps.MultiplyAdd(q, TOps.Load(ref c2Row, k), s2);
            s3 = TOps.MultiplyAdd(q, TOps.Load(ref c3Row, k), s3);
            k += w;
        }

        if (k < dimension)
        {
            var mask = TOps.TailMask((int)(dimension - k));
            var last = dimension - w;
            var q = TOps.And(TOps.Load(ref query, last), mask);
            t0 = TOps.MultiplyAdd(q, TOps.And(TOps.Load(ref c0Row, last), mask), t0);
            t1 = TOps.MultiplyAdd(q, TOps.And(TOps.Load(ref c1Row, last), mask), t1);
            t2 = TOps.MultiplyAdd(q, TOps.And(TOps.Load(ref c2Row, last), mask), t2);
            t3 = TOps.MultiplyAdd(q, TOps.And(TOps.Load(ref c3Row, last), mask), t3);
        }

        return TOps.Sum4(TOps.Add(s0, t0), TOps.Add(s1, t1), TOps.Add(s2, t2), TOps.Add(s3, t3));
    }
}
