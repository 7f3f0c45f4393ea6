using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Onnx.Tests.Preprocessing;

/// <summary>
/// A plain, unoptimised restatement of PIL's <c>Image.resize</c> for 8-bit RGB (libImaging/Resample.c and the
/// NEAREST affine path): whole-image passes, double arithmetic, no pooling, no windowing, no vectors. The production
/// resampler must agree with it exactly.
/// </summary>
internal static class PilReference
{
    /// <summary>Resizes an RGB image (3 bytes per pixel) to <paramref name="outW"/> × <paramref name="outH"/>.</summary>
    public static byte[] Resize(byte[] rgb, int w, int h, int outW, int outH, ResampleFilter filter)
    {
        if (filter == ResampleFilter.Nearest)
        {
            return Nearest(rgb, w, h, outW, outH);
        }

        var image = rgb;
        int curW = w, curH = h;
        if (outW != w)
        {
            image = Pass(image, curW, curH, outW, filter, horizontal: true);
            curW = outW;
        }

        if (outH != h)
        {
            image = Pass(image, curW, curH, outH, filter, horizontal: false);
        }

        return image;
    }

    /// <summary>Resizes, then takes the window at (<paramref name="left"/>, <paramref name="top"/>), black outside the image.</summary>
    public static byte[] ResizeAndCrop(byte[] rgb, int w, int h, int resizedW, int resizedH, ResampleFilter filter, int left, int top, int cropW, int cropH)
    {
        var resized = Resize(rgb, w, h, resizedW, resizedH, filter);
        var crop = new byte[cropW * cropH * 3];
        for (var y = 0; y < cropH; y++)
        {
            for (var x = 0; x < cropW; x++)
            {
                int sx = left + x, sy = top + y;
                if (sx < 0 || sy < 0 || sx >= resizedW || sy >= resizedH)
                {
                    continue;
                }

                for (var c = 0; c < 3; c++)
                {
                    crop[(((y * cropW) + x) * 3) + c] = resized[(((sy * resizedW) + sx) * 3) + c];
                }
            }
        }

        return crop;
    }

    /// <summary>The kernel, written out from PIL's definitions.</summary>
    public static double Kernel(ResampleFilter filter, double x)
    {
        switch (filter)
        {
            case ResampleFilter.Box:
                return x > -0.5 && x <= 0.5 ? 1 : 0;
            case ResampleFilter.Bilinear:
                x = Math.Abs(x);
                return x < 1 ? 1 - x : 0;
            case ResampleFilter.Hamming:
                x = Math.Abs(x);
                if (x == 0)
                {
                    return 1;
                }

                if (x >= 1)
                {
                    return 0;
                }

                x *= Math.PI;
                return Math.Sin(x) / x * (0.54f + (0.46f * Math.Cos(x)));
            case ResampleFilter.Bicubic:
                const double a = -0.5;
                x = Math.Abs(x);
                if (x < 1)
                {
                    return ((((a + 2) * x) - (a + 3)) * x * x) + 1;
                }

                return x < 2 ? ((((((x - 5) * x) + 8) * x) - 4) * a) : 0;
            case ResampleFilter.Lanczos:
                return x >= -3 && x < 3 ? Sinc(x) * Sinc(x / 3) : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter));
        }
    }

    public static double Support(ResampleFilter filter) => filter switch
    {
        ResampleFilter.Box => 0.5,
        ResampleFilter.Bilinear or ResampleFilter.Hamming => 1,
        ResampleFilter.Bicubic => 2,
        ResampleFilter.Lanczos => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(x * Math.PI) / (x * Math.PI);

    /// <summary>One pass over a whole image along one axis.</summary>
    private static byte[] Pass(byte[] image, int w, int h, int outSize, ResampleFilter filter, bool horizontal)
    {
        var inSize = horizontal ? w : h;
        double scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1);
        var support = Support(filter) * filterScale;
        var outW = horizontal ? outSize : w;
        var outH = horizontal ? h : outSize;
        var result = new byte[outW * outH * 3];
        for (var o = 0; o < outSize; o++)
        {
            // Coefficients for this output position, normalised, then rounded to 22-bit fixed point (away from zero at .5).
            var center = (o + 0.5) * scale;
            var lo = Math.Max(0, (int)(center - support + 0.5));
            var hi = Math.Min(inSize, (int)(center + support + 0.5));
            var weights = new double[hi - lo];
            var total = 0.0;
            for (var i = lo; i < hi; i++)
            {
                weights[i - lo] = Kernel(filter, (i - center + 0.5) * (1.0 / filterScale));
                total += weights[i - lo];
            }

            var fixedWeights = new long[weights.Length];
            for (var i = 0; i < weights.Length; i++)
            {
                var normalised = total != 0 ? weights[i] / total : weights[i];
                fixedWeights[i] = (long)(normalised * (1 << 22) + (normalised < 0 ? -0.5 : 0.5));
            }

            var lines = horizontal ? h : w;
            for (var line = 0; line < lines; line++)
            {
                for (var c = 0; c < 3; c++)
                {
                    double sum = 1 << 21;
                    for (var i = lo; i < hi; i++)
                    {
                        var index = horizontal ? ((line * w) + i) : ((i * w) + line);
                        sum += image[(index * 3) + c] * (double)fixedWeights[i - lo];
                    }

                    var value = Math.Clamp(Math.Floor(sum / (1 << 22)), 0, 255);
                    var outIndex = horizontal ? ((line * outW) + o) : ((o * outW) + line);
                    result[(outIndex * 3) + c] = (byte)value;
                }
            }
        }

        return result;
    }

    private static byte[] Nearest(byte[] rgb, int w, int h, int outW, int outH)
    {
        var xs = NearestIndices(w, outW);
        var ys = NearestIndices(h, outH);
        var result = new byte[outW * outH * 3];
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                Array.Copy(rgb, ((ys[y] * w) + xs[x]) * 3, result, ((y * outW) + x) * 3, 3);
            }
        }

        return result;
    }

    /// <summary>PIL's affine NEAREST steps a double coordinate by the scale from half a step and truncates it.</summary>
    private static int[] NearestIndices(int inSize, int outSize)
    {
        var step = (double)inSize / outSize;
        var position = step / 2;
        var indices = new int[outSize];
        for (var i = 0; i < outSize; i++)
        {
            indices[i] = Math.Min((int)position, inSize - 1);
            position += step;
        }

        return indices;
    }
}
