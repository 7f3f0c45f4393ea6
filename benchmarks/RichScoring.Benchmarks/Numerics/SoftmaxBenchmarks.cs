using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using RichScoring.Numerics;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>
/// Our max-subtracting softmax against TensorPrimitives.SoftMax (which skips that step and returns NaN for logits
/// above ~88; these inputs stay in [−10, 10] so that both produce numbers).
/// </summary>
[MemoryDiagnoser]
public class SoftmaxBenchmarks
{
    private float[] _logits = [];
    private float[] _destination = [];

    [Params(16, 256, 4_096, 65_536)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _logits = [.. Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 20) - 10))];
        _destination = new float[Length];
    }

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesSoftMax() => TensorPrimitives.SoftMax(_logits, _destination);

    [Benchmark]
    public void Softmax() => EmbeddingMath.Softmax(_logits, _destination);

    [Benchmark]
    public void LogSoftmax() => EmbeddingMath.LogSoftmax(_logits, _destination);
}
