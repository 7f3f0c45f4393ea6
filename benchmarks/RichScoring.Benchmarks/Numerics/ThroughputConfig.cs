using BenchmarkDotNet.Configs;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>Adds the GFLOP/s and M vectors/s columns to the similarity benchmarks.</summary>
internal sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig() => AddColumn(new ThroughputColumn(gflops: true), new ThroughputColumn(gflops: false));
}
