using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RichScoring.Benchmarks.Numerics;

/// <summary>
/// Throughput of a similarity-matrix benchmark from its Q, N and D parameters and its mean time: GFLOP/s
/// (2·Q·N·D / time) or millions of candidate vectors scored per second (N / time; for Q = 1, vectors/s).
/// </summary>
internal sealed class ThroughputColumn(bool gflops) : IColumn
{
    public string Id => gflops ? "RichScoring.Gflops" : "RichScoring.MVectors";

    public string ColumnName => gflops ? "GFLOP/s" : "M vectors/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => gflops ? 0 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => gflops
        ? "Billions of floating-point operations per second: 2·Q·N·D / mean time"
        : "Millions of candidate vectors scored (against all Q queries) per second: N / mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || statistics.Mean <= 0)
        {
            return "NA";
        }

        var q = Convert.ToDouble(benchmarkCase.Parameters["Q"], CultureInfo.InvariantCulture);
        var n = Convert.ToDouble(benchmarkCase.Parameters["N"], CultureInfo.InvariantCulture);
        var d = Convert.ToDouble(benchmarkCase.Parameters["D"], CultureInfo.InvariantCulture);
        var seconds = statistics.Mean / 1e9;
        var value = gflops ? 2 * q * n * d / seconds / 1e9 : n / seconds / 1e6;
        return value.ToString("F2", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
