using BenchmarkDotNet.Attributes;
using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>Top-k indices by a bounded heap (O(N log k)) against sorting everything (O(N log N)) and taking the top k.</summary>
[MemoryDiagnoser]
public class TopKBenchmarks
{
    private float[] _scores = [];
    private float[] _keys = [];
    private int[] _order = [];
    private int[] _top = [];

    [Params(10_000, 100_000)]
    public int N { get; set; }

    [Params(10, 100)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4);
        _scores = [.. Enumerable.Range(0, N).Select(_ => (float)random.NextDouble())];
        _keys = new float[N];
        _order = new int[N];
        _top = new int[K];
    }

    [Benchmark(Baseline = true)]
    public int FullSort()
    {
        // Negated keys sort descending; Array.Sort is not stable, which the baseline can live with (random scores).
        for (var i = 0; i < _scores.Length; i++)
        {
            _keys[i] = -_scores[i];
            _order[i] = i;
        }

        Array.Sort(_keys, _order);
        _order.AsSpan(0, K).CopyTo(_top);
        return _top[0];
    }

    [Benchmark]
    public int TopK() => EmbeddingMath.TopK(_scores, _top);
}
