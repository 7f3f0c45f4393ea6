using BenchmarkDotNet.Attributes;

namespace RichScoring.Benchmarks.Caching;

/// <summary>Serializing one 512-d cache entry and reading it back (header checks, checksum, float16 conversion).</summary>
[MemoryDiagnoser]
public class EntryCodecBenchmarks
{
    private const int Dimension = 512;
    private readonly EmbeddingCacheKey _key = EmbeddingCacheKey.ForImage("openai/clip-vit-base-patch32", [1, 2, 3]);
    private float[] _vector = [];
    private byte[] _entry = [];

    [Params(EmbeddingPrecision.Float32, EmbeddingPrecision.Float16)]
    public EmbeddingPrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _vector = [.. Enumerable.Range(0, Dimension).Select(_ => (float)(random.NextDouble() - 0.5))];
        var norm = MathF.Sqrt(_vector.Sum(x => x * x));
        for (var i = 0; i < Dimension; i++)
        {
            _vector[i] /= norm;
        }

        _entry = EmbeddingEntryCodec.Encode(_key, _vector, Precision);
    }

    [Benchmark]
    public byte[] Encode() => EmbeddingEntryCodec.Encode(_key, _vector, Precision);

    [Benchmark]
    public float[] Decode() => EmbeddingEntryCodec.TryDecode(_entry, _key, out var vector, out _) ? vector : throw new InvalidOperationException();

    [Benchmark(Baseline = true, Description = "Encode + decode")]
    public float[] RoundTrip() =>
        EmbeddingEntryCodec.TryDecode(EmbeddingEntryCodec.Encode(_key, _vector, Precision), _key, out var vector, out _) ? vector : throw new InvalidOperationException();
}
