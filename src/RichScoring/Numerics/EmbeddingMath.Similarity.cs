using System.Runtime.InteropServices;

namespace RichScoring.Numerics;

public static partial class EmbeddingMath
{
    /// <summary>
    /// Multiply-adds (Q·N·D) below which the matrix runs on the calling thread: about 50 µs of work on one core,
    /// several times the cost of handing chunks to the thread pool.
    /// </summary>
    internal const long DefaultParallelThreshold = 1L << 21;

    /// <summary>Fewest candidates worth a parallel chunk of their own; with fewer the queries are shared out instead.</summary>
    private const int MinCandidatesPerChunk = 64;

    /// <summary>Chunks per thread: more than one evens out threads slowed by other work on the machine.</summary>
    private const int ChunksPerThread = 4;

    /// <summary>
    /// Computes every query × candidate dot product: <c>destination[q * N + n] = queries[q] · candidates[n]</c>
    /// (cosine similarities when both sides are L2-normalised).
    /// </summary>
    /// <param name="queries">Q × <paramref name="dimension"/> values, row-major (for example the prompt embeddings).</param>
    /// <param name="candidates">N × <paramref name="dimension"/> values, row-major (for example the image embeddings).</param>
    /// <param name="dimension">The embedding length D.</param>
    /// <param name="destination">
    /// At least Q × N values; the first Q × N are written, row-major (one row per query). It must not overlap the inputs.
    /// </param>
    /// <param name="options">Threading options; <see langword="null"/> for the defaults.</param>
    /// <remarks>
    /// A register-blocked kernel (3 queries × 4 candidates held in vector registers over the whole dimension, candidates
    /// taken in L2-sized blocks and prefetched when they come from DRAM) rather than one dot product per pair; one or
    /// two queries stream the candidates instead, four far-apart runs at a time. Large matrices are split across threads
    /// by candidate ranges (by query ranges when there are few candidates); the result, bit for bit, does not depend on
    /// the split or the number of threads.
    /// Q = 0 or N = 0 writes nothing. NaN and ±Inf propagate to the affected entries as in IEEE arithmetic. The
    /// single-threaded path allocates nothing; the multi-threaded one only the thread-pool work items.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// An input length is not a multiple of <paramref name="dimension"/>, the destination is shorter than Q × N, or it
    /// overlaps an input.
    /// </exception>
    public static void SimilarityMatrix(
        ReadOnlySpan<float> queries, ReadOnlySpan<float> candidates, int dimension, Span<float> destination, SimilarityOptions? options = null) =>
        SimilarityMatrix(
            queries, candidates, dimension, destination, Simd.Best,
            options?.MaxDegreeOfParallelism ?? Environment.ProcessorCount, DefaultParallelThreshold, chunkObserver: null);

    // The similarity matrix with every knob exposed (tests and benchmarks force a width, threads, the threshold);
    // chunkObserver is called with the managed thread id at the start of every chunk of work.
    internal static unsafe void SimilarityMatrix(
        ReadOnlySpan<float> queries, ReadOnlySpan<float> candidates, int dimension, Span<float> destination,
        SimdPath path, int maxDegreeOfParallelism, long parallelThreshold, Action<int>? chunkObserver)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (queries.Length % dimension != 0)
        {
            throw new ArgumentException($"The queries length ({queries.Length}) must be a multiple of the dimension ({dimension}).", nameof(queries));
        }

        if (candidates.Length % dimension != 0)
        {
            throw new ArgumentException($"The candidates length ({candidates.Length}) must be a multiple of the dimension ({dimension}).", nameof(candidates));
        }

        var queryCount = queries.Length / dimension;
        var candidateCount = candidates.Length / dimension;
        var outputs = (long)queryCount * candidateCount;
        if (destination.Length < outputs)
        {
            throw new ArgumentException(
                $"The destination ({destination.Length}) is shorter than queries × candidates ({queryCount} × {candidateCount}).", nameof(destination));
        }

        if (outputs == 0)
        {
            return;
        }

        destination = destination[..(int)outputs];
        if (destination.Overlaps(queries) || destination.Overlaps(candidates))
        {
            throw new ArgumentException("The destination must not overlap the queries or the candidates.", nameof(destination));
        }

        var (chunkCount, splitQueries) = Partition(queryCount, candidateCount, dimension, maxDegreeOfParallelism, parallelThreshold);
        if (chunkCount == 1)
        {
            chunkObserver?.Invoke(Environment.CurrentManagedThreadId);
            SimilarityMatrixKernel.ComputeTile(
                path, ref MemoryMarshal.GetReference(queries), ref MemoryMarshal.GetReference(candidates), dimension,
                ref MemoryMarshal.GetReference(destination), candidateCount, 0, queryCount, 0, candidateCount);
            return;
        }

        fixed (float* q = queries)
        fixed (float* c = candidates)
        fixed (float* d = destination)
        {
            var job = new SimilarityJob(q, c, d, dimension, queryCount, candidateCount, path, splitQueries, chunkCount, chunkObserver);
            Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, job.RunChunk);
        }
    }

    /// <summary>How many chunks to cut the work into (1 = stay on the calling thread), and along which side.</summary>
    internal static (int ChunkCount, bool SplitQueries) Partition(int queryCount, int candidateCount, int dimension, int maxDegreeOfParallelism, long parallelThreshold)
    {
        if (maxDegreeOfParallelism == 1 || (long)queryCount * candidateCount * dimension < parallelThreshold)
        {
            return (1, false);
        }

        var wanted = (long)maxDegreeOfParallelism * ChunksPerThread;
        if (candidateCount >= 2 * MinCandidatesPerChunk)
        {
            return ((int)Math.Min(wanted, candidateCount / MinCandidatesPerChunk), false);
        }

        var queryBlocks = queryCount / MatrixKernels.BlockQueries;
        return queryBlocks >= 2 ? ((int)Math.Min(wanted, queryBlocks), true) : (1, false);
    }
}
