using System.Runtime.CompilerServices;

namespace RichScoring.Numerics;

/// <summary>
/// One parallel similarity-matrix call: the spans are pinned by the caller for the whole (synchronous)
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>, and each chunk is a range of candidates
/// (or of queries, when there are too few candidates to share out) that writes its own part of the destination.
/// </summary>
internal sealed unsafe class SimilarityJob
{
    private readonly float* _queries;
    private readonly float* _candidates;
    private readonly float* _destination;
    private readonly int _dimension;
    private readonly int _queryCount;
    private readonly int _candidateCount;
    private readonly SimdPath _path;
    private readonly bool _splitQueries;
    private readonly int _chunkCount;
    private readonly Action<int>? _chunkObserver;

    public SimilarityJob(
        float* queries, float* candidates, float* destination, int dimension, int queryCount, int candidateCount,
        SimdPath path, bool splitQueries, int chunkCount, Action<int>? chunkObserver)
    {
        _queries = queries;
        _candidates = candidates;
        _destination = destination;
        _dimension = dimension;
        _queryCount = queryCount;
        _candidateCount = candidateCount;
        _path = path;
        _splitQueries = splitQueries;
        _chunkCount = chunkCount;
        _chunkObserver = chunkObserver;
    }

    public void RunChunk(int chunk)
    {
        _chunkObserver?.Invoke(Environment.CurrentManagedThreadId);
        ref var queries = ref Unsafe.AsRef<float>(_queries);
        ref var candidates = ref Unsafe.AsRef<float>(_candidates);
        ref var destination = ref Unsafe.AsRef<float>(_destination);
        if (_splitQueries)
        {
            var (q0, q1) = Range(chunk, _queryCount, MatrixKernels.BlockQueries);
            SimilarityMatrixKernel.ComputeTile(_path, ref queries, ref candidates, _dimension, ref destination, _candidateCount, q0, q1, 0, _candidateCount);
        }
        else
        {
            var (n0, n1) = Range(chunk, _candidateCount, MatrixKernels.BlockCandidates);
            SimilarityMatrixKernel.ComputeTile(_path, ref queries, ref candidates, _dimension, ref destination, _candidateCount, 0, _queryCount, n0, n1);
        }
    }

    /// <summary>The chunk's share of [0, count), cut at multiples of the register block so that no block straddles two chunks.</summary>
    private (int Start, int End) Range(int chunk, int count, int unit)
    {
        var units = ((long)count + unit - 1) / unit;
        var start = (int)Math.Min(count, units * chunk / _chunkCount * unit);
        var end = (int)Math.Min(count, units * (chunk + 1) / _chunkCount * unit);
        return (start, end);
    }
}
