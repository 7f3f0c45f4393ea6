using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RichScoring.Numerics;

/// <summary>
/// Drives the micro-kernels over a (query range × candidate range) tile. Candidates are taken in blocks of about
/// 256 KiB so that a block stays in L2 while every query triple passes over it: DRAM then sees each candidate once,
/// whatever Q is. One or two queries skip the blocking and stream the candidates (<see cref="StreamFewQueries"/>).
/// </summary>
internal static class SimilarityMatrixKernel
{
    /// <summary>Bytes of candidates per cache block (the GUIDE §4 machine has 512 KiB of L2 per core; leave room for the queries).</summary>
    private const int CandidateBlockBytes = 256 * 1024;

    /// <summary>Bytes per cache line (x64 and most Arm64 cores).</summary>
    private const int CacheLine = 64;

    /// <summary>
    /// Candidate sets larger than this are taken to live in DRAM (half the 32 MiB L3 of the GUIDE §4 machine) and are
    /// prefetched block by block; smaller ones come from L3 fast enough, and the extra prefetches only cost (≈10% at
    /// 16 × 2,000 × 512).
    /// </summary>
    private const long DramResidentBytes = 16L << 20;

    /// <summary>Computes destination[q * candidateCount + n] for q in [q0, q1) and n in [n0, n1).</summary>
    public static void ComputeTile(
        SimdPath path, ref float queries, ref float candidates, int dimension, ref float destination, int candidateCount,
        int q0, int q1, int n0, int n1)
    {
        switch (Simd.Fit(path, dimension))
        {
            case SimdPath.Vector512:
                ComputeTile<Vector512Ops, Vector512<float>>(ref queries, ref candidates, dimension, ref destination, candidateCount, q0, q1, n0, n1);
                break;
            case SimdPath.Vector256:
                ComputeTile<Vector256Ops, Vector256<float>>(ref queries, ref candidates, dimension, ref destination, candidateCount, q0, q1, n0, n1);
                break;
            case SimdPath.Vector128:
                ComputeTile<Vector128Ops, Vector128<float>>(ref queries, ref candidates, dimension, ref destination, candidateCount, q0, q1, n0, n1);
                break;
            default:
                ComputeTileScalar(ref queries, ref candidates, dimension, ref destination, candidateCount, q0, q1, n0, n1);
                break;
        }
    }

    /// <summary>Candidates per cache block: a multiple of the register block, at least one register block.</summary>
    internal static int CandidateBlock(int dimension) =>
        Math.Max(MatrixKernels.BlockCandidates, CandidateBlockBytes / sizeof(float) / dimension / MatrixKernels.BlockCandidates * MatrixKernels.BlockCandidates);

    private static void ComputeTile<TOps, TVec>(
        ref float queries, ref float candidates, int dimension, ref float destination, int candidateCount,
        int q0, int q1, int n0, int n1)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var d = (nuint)dimension;
        var stride = (nuint)candidateCount;
        if (q1 - q0 < MatrixKernels.BlockQueries)
        {
            StreamFewQueries<TOps, TVec>(ref queries, ref candidates, d, ref destination, stride, q0, q1, n0, n1);
            return;
        }

        var block = CandidateBlock(dimension);
        var prefetching = Sse.IsSupported && (long)candidateCount * dimension * sizeof(float) > DramResidentBytes;
        for (var nb = n0; nb < n1; nb += Math.Min(block, n1 - nb))
        {
            var nbEnd = nb + Math.Min(block, n1 - nb);
            var quadEnd = nb + ((nbEnd - nb) / MatrixKernels.BlockCandidates * MatrixKernels.BlockCandidates);

            // While this block is worked on from L2, pull the next one in from DRAM a few lines per kernel call, so
            // that the first pass over a block does not wait on memory (it is spread over every call in the block).
            var prefetch = (nuint)nbEnd * d * sizeof(float);
            var prefetchEnd = (nuint)(nbEnd + Math.Min(block, n1 - nbEnd)) * d * sizeof(float);
            var calls = (nuint)Math.Max(1, (q1 - q0) / MatrixKernels.BlockQueries * ((quadEnd - nb) / MatrixKernels.BlockCandidates));
            var linesPerCall = (((prefetchEnd - prefetch) / CacheLine) + calls - 1) / calls;

            var q = q0;
            for (; q + MatrixKernels.BlockQueries <= q1; q += MatrixKernels.BlockQueries)
            {
                ref var queryRows = ref Unsafe.Add(ref queries, (nuint)q * d);
                ref var destinationRow = ref Unsafe.Add(ref destination, (nuint)q * stride);
                for (var n = nb; n < quadEnd; n += MatrixKernels.BlockCandidates)
                {
                    MatrixKernels.Block3x4<TOps, TVec>(
                        ref queryRows, ref Unsafe.Add(ref candidates, (nuint)n * d), d, ref Unsafe.Add(ref destinationRow, (nuint)n), stride);
                    if (prefetching)
                    {
                        PrefetchToL2(ref candidates, ref prefetch, prefetchEnd, linesPerCall);
                    }
                }
            }

            for (; q < q1; q++)
            {
                ref var queryRow = ref Unsafe.Add(ref queries, (nuint)q * d);
                ref var destinationRow = ref Unsafe.Add(ref destination, (nuint)q * stride);
                for (var n = nb; n < quadEnd; n += MatrixKernels.BlockCandidates)
                {
                    MatrixKernels.Block1x4<TOps, TVec>(ref queryRow, ref Unsafe.Add(ref candidates, (nuint)n * d), d, d)
                        .StoreUnsafe(ref Unsafe.Add(ref destinationRow, (nuint)n));
                }
            }

            // At most three candidates are left over, only in the last block.
            for (var n = quadEnd; n < nbEnd; n++)
            {
                ref var candidateRow = ref Unsafe.Add(ref candidates, (nuint)n * d);
                for (q = q0; q < q1; q++)
                {
                    Unsafe.Add(ref destination, ((nuint)q * stride) + (nuint)n) =
                        SimdKernels.Dot<TOps, TVec>(ref Unsafe.Add(ref queries, (nuint)q * d), ref candidateRow, d);
                }
            }
        }
    }

    /// <summary>
    /// One or two queries: nothing to reuse from cache, so the candidates are read once. They are cut into four equal
    /// runs read side by side: four streams far apart keep more DRAM requests in flight than one (measured here: 1.4×
    /// the vectors/s of reading the rows in order, which in turn beats four adjacent rows).
    /// </summary>
    private static void StreamFewQueries<TOps, TVec>(
        ref float queries, ref float candidates, nuint d, ref float destination, nuint stride, int q0, int q1, int n0, int n1)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        var run = (n1 - n0) / MatrixKernels.BlockCandidates;
        var runStride = (nuint)run * d;
        for (var i = 0; i < run; i++)
        {
            var n = (nuint)(n0 + i);
            ref var candidateRows = ref Unsafe.Add(ref candidates, n * d);
            for (var q = q0; q < q1; q++)
            {
                var sums = MatrixKernels.Block1x4<TOps, TVec>(ref Unsafe.Add(ref queries, (nuint)q * d), ref candidateRows, d, runStride);
                ref var destinationRow = ref Unsafe.Add(ref destination, ((nuint)q * stride) + n);
                destinationRow = sums.GetElement(0);
                Unsafe.Add(ref destinationRow, run) = sums.GetElement(1);
                Unsafe.Add(ref destinationRow, 2 * run) = sums.GetElement(2);
                Unsafe.Add(ref destinationRow, 3 * run) = sums.GetElement(3);
            }
        }

        for (var n = n0 + (MatrixKernels.BlockCandidates * run); n < n1; n++)
        {
            ref var candidateRow = ref Unsafe.Add(ref candidates, (nuint)n * d);
            for (var q = q0; q < q1; q++)
            {
                Unsafe.Add(ref destination, ((nuint)q * stride) + (nuint)n) =
                    SimdKernels.Dot<TOps, TVec>(ref Unsafe.Add(ref queries, (nuint)q * d), ref candidateRow, d);
            }
        }
    }

    /// <summary>
    /// Prefetches up to <paramref name="lines"/> cache lines at byte offsets [<paramref name="next"/>, <paramref name="end"/>)
    /// of <paramref name="candidates"/> into L2. A prefetch never faults, so a stale address (the GC moving an unpinned
    /// array meanwhile) only wastes the hint.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchToL2(ref float candidates, ref nuint next, nuint end, nuint lines)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var start = (byte*)Unsafe.AsPointer(ref candidates);
        for (; lines > 0 && next < end; lines--, next += CacheLine)
        {
            Sse.Prefetch1(start + next);
        }
    }

    private static void ComputeTileScalar(
        ref float queries, ref float candidates, int dimension, ref float destination, int candidateCount,
        int q0, int q1, int n0, int n1)
    {
        var d = (nuint)dimension;
        for (var q = q0; q < q1; q++)
        {
            ref var queryRow = ref Unsafe.Add(ref queries, (nuint)q * d);
            for (var n = n0; n < n1; n++)
            {
                Unsafe.Add(ref destination, ((nuint)q * (nuint)candidateCount) + (nuint)n) =
                    ScalarKernels.Dot(ref queryRow, ref Unsafe.Add(ref candidates, (nuint)n * d), d);
            }
        }
    }
}
