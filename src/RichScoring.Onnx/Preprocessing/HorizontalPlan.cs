using System.Buffers;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// The horizontal coefficients laid out for the vector kernel: each output reads a window of whole tap groups
/// (<see cref="GroupSize"/> pixels each) that stays inside the row, with its weights repeated once per RGBA lane and
/// zeros for window pixels outside PIL's taps, so the integer sums are exactly PIL's. Pooled; dispose to return.
/// </summary>
internal sealed class HorizontalPlan : IDisposable
{
    private int[]? _windowByte;
    private int[]? _groups;
    private int[]? _lanes;

    private HorizontalPlan(int count, int groupSize, int maxGroups)
    {
        Count = count;
        GroupSize = groupSize;
        LaneStride = maxGroups * groupSize * 4;
        _windowByte = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        _groups = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        _lanes = ArrayPool<int>.Shared.Rent(Math.Max(count * LaneStride, 1));
    }

    /// <summary>Number of outputs.</summary>
    public int Count { get; }

    /// <summary>Pixels per group: what one vector multiply covers (2 for 256-bit, 4 for 512-bit vectors).</summary>
    public int GroupSize { get; }

    /// <summary>Ints of <see cref="Lanes"/> per output.</summary>
    public int LaneStride { get; }

    /// <summary>Byte offset in the source row of each output's window.</summary>
    public Span<int> WindowByte => _windowByte.AsSpan(0, Count);

    /// <summary>Number of groups in each output's window; −1 where the row is too short for a window (use the scalar path).</summary>
    public Span<int> Groups => _groups.AsSpan(0, Count);

    /// <summary>Weights per output, group and RGBA lane.</summary>
    public Span<int> Lanes => _lanes.AsSpan(0, Count * LaneStride);

    public static HorizontalPlan Create(AxisCoefficients coefficients, int sourceWidth, int groupSize)
    {
        var maxGroups = (coefficients.KernelSize + groupSize - 1) / groupSize;
        var plan = new HorizontalPlan(coefficients.Count, groupSize, maxGroups);
        var lanes = plan.Lanes;
        lanes.Clear();
        for (var i = 0; i < coefficients.Count; i++)
        {
            var start = coefficients.Start[i];
            var taps = coefficients.Taps[i];
            var groups = (taps + groupSize - 1) / groupSize;
            var width = groups * groupSize;
            var windowStart = Math.Min(start, sourceWidth - width);
            if (windowStart < 0)
            {
                plan.Groups[i] = -1;
                continue;
            }

            plan.Groups[i] = groups;
            plan.WindowByte[i] = windowStart * 4;
            var weights = coefficients.Weights.Slice(i * coefficients.KernelSize, taps);
            var target = lanes.Slice(i * plan.LaneStride, plan.LaneStride);
            var offset = start - windowStart;
            for (var t = 0; t < taps; t++)
            {
                target.Slice((offset + t) * 4, 4).Fill(weights[t]);
            }
        }

        return plan;
    }

    public void Dispose()
    {
        Return(ref _windowByte);
        Return(ref _groups);
        Return(ref _lanes);
    }

    private static void Return(ref int[]? array)
    {
        if (array is not null)
        {
            ArrayPool<int>.Shared.Return(array);
            array = null;
        }
    }
}
