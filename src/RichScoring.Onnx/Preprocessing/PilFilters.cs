namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// PIL's resampling kernels (libImaging/Resample.c), evaluated in double precision with the same operation order so
/// that the coefficients, and therefore the 8-bit results, come out identical.
/// </summary>
internal static class PilFilters
{
    /// <summary>The kernel's half-width in source pixels at scale 1.</summary>
    public static double Support(ResampleFilter filter) => filter switch
    {
        ResampleFilter.Box => 0.5,
        ResampleFilter.Bilinear => 1.0,
        ResampleFilter.Hamming => 1.0,
        ResampleFilter.Bicubic => 2.0,
        ResampleFilter.Lanczos => 3.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Nearest is not a convolution filter."),
    };

    /// <summary>The kernel's weight at distance <paramref name="x"/>.</summary>
    public static double Evaluate(ResampleFilter filter, double x) => filter switch
    {
        ResampleFilter.Box => Box(x),
        ResampleFilter.Bilinear => Bilinear(x),
        ResampleFilter.Hamming => Hamming(x),
        ResampleFilter.Bicubic => Bicubic(x),
        ResampleFilter.Lanczos => Lanczos(x),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Nearest is not a convolution filter."),
    };

    private static double Box(double x) => x > -0.5 && x <= 0.5 ? 1.0 : 0.0;

    private static double Bilinear(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Hamming(double x)
    {
        x = Math.Abs(x);
        if (x == 0.0)
        {
            return 1.0;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        x *= Math.PI;

        // PIL writes the window constants as C floats (0.54f, 0.46f); their double values matter for bit parity.
        return Math.Sin(x) / x * ((double)0.54f + ((double)0.46f * Math.Cos(x)));
    }

    private static double Bicubic(double x)
    {
        const double A = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((A + 2.0) * x) - (A + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((((x - 5) * x) + 8) * x) - 4) * A);
        }

        return 0.0;
    }

    private static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }

        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    private static double Lanczos(double x) => x >= -3.0 && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;
}
