using System.Buffers;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// PIL's resampling coefficients for one axis (<c>precompute_coeffs</c> + <c>normalize_coeffs_8bpc</c> in
/// libImaging/Resample.c), computed only for a window of output positions (the crop): for output <c>i</c>, source
/// pixels <c>Start[i] .. Start[i] + Taps[i] - 1</c> with fixed-point weights <c>Weights[i * KernelSize + t]</c>.
/// Arrays are pooled; dispose to return them.
/// </summary>
internal sealed class AxisCoefficients : IDisposable
{
    /// <summary>Fixed-point fraction bits, PIL's <c>PRECISION_BITS</c> (32 − 8 − 2): 8 bits of result, 2 of headroom.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Half of one unit in fixed point: the rounding term every sum starts from.</summary>
    public const int Half = 1 << (PrecisionBits - 1);

    private int[]? _start;
    private int[]? _taps;
    private int[]? _weights;

    private AxisCoefficients(int first, int count, int kernelSize)
    {
        First = first;
        Count = count;
        KernelSize = kernelSize;
        _start = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        _taps = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        _weights = ArrayPool<int>.Shared.Rent(Math.Max(count * kernelSize, 1));
    }

    /// <summary>The first output position covered.</summary>
    public int First { get; }

    /// <summary>How many output positions are covered.</summary>
    public int Count { get; }

    /// <summary>The stride of <see cref="Weights"/>: the most taps any output can have.</summary>
    public int KernelSize { get; }

    /// <summary>First source pixel of each covered output.</summary>
    public Span<int> Start => _start.AsSpan(0, Count);

    /// <summary>Number of source pixels of each covered output.</summary>
    public Span<int> Taps => _taps.AsSpan(0, Count);

    /// <summary>Fixed-point weights, <see cref="KernelSize"/> per output (unused ones zero).</summary>
    public Span<int> Weights => _weights.AsSpan(0, Count * KernelSize);

    /// <summary>The first source pixel any covered output reads.</summary>
    public int SourceFirst => Count == 0 ? 0 : Start[0];

    /// <summary>One past the last source pixel any covered output reads (both ends move monotonically with the output).</summary>
    public int SourceEnd => Count == 0 ? 0 : Start[Count - 1] + Taps[Count - 1];

    /// <summary>
    /// Coefficients for resizing <paramref name="inSize"/> pixels to <paramref name="outSize"/>, for outputs
    /// <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> − 1.
    /// </summary>
    public static AxisCoefficients Create(int inSize, int outSize, ResampleFilter filter, int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outSize, 1);
        if (first < 0 || count < 0 || first + count > outSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "The window must lie within the output.");
        }

        return filter == ResampleFilter.Nearest
            ? CreateNearest(inSize, outSize, first, count)
            : CreateConvolution(inSize, outSize, filter, first, count);
    }

    public void Dispose()
    {
        Return(ref _start);
        Return(ref _taps);
        Return(ref _weights);
    }

    private static void Return(ref int[]? array)
    {
        if (array is not null)
        {
            ArrayPool<int>.Shared.Return(array);
            array = null;
        }
    }

    private static AxisCoefficients CreateConvolution(int inSize, int outSize, ResampleFilter filter, int first, int count)
    {
        // PIL passes the source box as C floats (in0 = 0, in1 = inSize) and works in double from there.
        double scale = (float)inSize / (double)outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = PilFilters.Support(filter) * filterScale;
        var kernelSize = ((int)Math.Ceiling(support) * 2) + 1;

        var result = new AxisCoefficients(first, count, kernelSize);
        var starts = result.Start;
        var taps = result.Taps;
        var weights = result.Weights;
        weights.Clear();

        Span<double> k = kernelSize <= 512 ? stackalloc double[kernelSize] : new double[kernelSize];
        var ss = 1.0 / filterScale;
        for (var i = 0; i < count; i++)
        {
            var xx = first + i;
            var center = (xx + 0.5) * scale;

            // Truncation toward zero, as C's (int) cast; negative values are clamped to 0 right after.
            var xmin = (int)(center - support + 0.5);
            if (xmin < 0)
            {
                xmin = 0;
            }

            var xmax = (int)(center + support + 0.5);
            if (xmax > inSize)
            {
                xmax = inSize;
            }

            xmax -= xmin;
            var ww = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var w = PilFilters.Evaluate(filter, (x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }

            var row = weights.Slice(i * kernelSize, kernelSize);
            for (var x = 0; x < xmax; x++)
            {
                var w = ww != 0.0 ? k[x] / ww : k[x];
                row[x] = w < 0 ? (int)(-0.5 + (w * (1 << PrecisionBits))) : (int)(0.5 + (w * (1 << PrecisionBits)));
            }

            starts[i] = xmin;
            taps[i] = xmax;
        }

        return result;
    }

    private static AxisCoefficients CreateNearest(int inSize, int outSize, int first, int count)
    {
        // PIL resizes with NEAREST through an affine transform that steps a double source coordinate from
        // scale / 2 by scale per output pixel and truncates it; accumulating (not multiplying) matters for parity.
        var result = new AxisCoefficients(first, count, 1);
        var scale = (double)(float)inSize / outSize;
        var position = scale * 0.5;
        for (var xx = 0; xx < first + count; xx++)
        {
            if (xx >= first)
            {
                var i = xx - first;
                result.Start[i] = Math.Clamp((int)position, 0, inSize - 1);
                result.Taps[i] = 1;
                result.Weights[i] = 1 << PrecisionBits;
            }

            position += scale;
        }

        return result;
    }
}
