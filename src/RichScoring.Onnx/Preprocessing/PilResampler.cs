using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// A separable 8-bit resampler that reproduces PIL's <c>ImagingResample</c> (libImaging/Resample.c) bit for bit:
/// antialiased kernels scaled by the downscale factor, PIL's coefficients in 22-bit fixed point, the horizontal pass
/// first, rounding and clipping to 0..255 between the passes, and PIL's choice of passes (an axis whose size does
/// not change is not filtered). Only what the output window (the center crop) needs is computed: the horizontal pass
/// for the crop's columns on the source rows the vertical pass reads, the vertical pass for the crop's rows.
/// </summary>
internal static class PilResampler
{
    private const int PrecisionBits = AxisCoefficients.PrecisionBits;
    private const int Half = AxisCoefficients.Half;

    /// <summary>
    /// Resizes <paramref name="source"/> as <paramref name="geometry"/> says and hands each output row (RGBA, 4 bytes a
    /// pixel, black where the window lies outside the resized image) to <paramref name="sink"/>.
    /// </summary>
    /// <param name="source">The image; rows that are read may be composited in place.</param>
    /// <param name="geometry">Resized size and output window.</param>
    /// <param name="filter">PIL filter.</param>
    /// <param name="background">Composite transparent pixels on this colour before filtering; null to leave RGB as stored.</param>
    /// <param name="sink">Receives the rows.</param>
    /// <param name="path">Kernels to use (all give the same result).</param>
    public static void Resample<TSource, TSink>(
        ref TSource source, in ResizeGeometry geometry, ResampleFilter filter, RgbColor? background, ref TSink sink, ResamplerPath path)
        where TSource : IRowSource, allows ref struct
        where TSink : IRowSink, allows ref struct
    {
        if (!ResamplerPaths.IsSupported(path))
        {
            path = ResamplerPath.Scalar;
        }

        int srcW = source.Width, srcH = source.Height;
        var outW = geometry.OutputWidth;
        var outH = geometry.OutputHeight;
        var rowBytes = outW * 4;

        // The part of the output window that lies on the resized image.
        var cx0 = Math.Clamp(geometry.Left, 0, geometry.ResizedWidth);
        var cx1 = Math.Clamp(geometry.Left + outW, 0, geometry.ResizedWidth);
        var cy0 = Math.Clamp(geometry.Top, 0, geometry.ResizedHeight);
        var cy1 = Math.Clamp(geometry.Top + outH, 0, geometry.ResizedHeight);
        var cols = cx1 - cx0;
        var rows = cy1 - cy0;

        var outRowArray = ArrayPool<byte>.Shared.Rent(rowBytes);
        var outRow = outRowArray.AsSpan(0, rowBytes);
        outRow.Clear();
        try
        {
            if (cols <= 0 || rows <= 0)
            {
                for (var r = 0; r < outH; r++)
                {
                    sink.Row(r, outRow);
                }

                return;
            }

            // PIL filters an axis only when its size changes; an unfiltered axis is an exact copy.
            var needH = geometry.ResizedWidth != srcW;
            var needV = geometry.ResizedHeight != srcH;
            using var horizontal = needH ? AxisCoefficients.Create(srcW, geometry.ResizedWidth, filter, cx0, cols) : null;
            using var vertical = needV ? AxisCoefficients.Create(srcH, geometry.ResizedHeight, filter, cy0, rows) : null;
            using var plan = horizontal is not null && path != ResamplerPath.Scalar
                ? HorizontalPlan.Create(horizontal, srcW, groupSize: 2)
                : null;

            var rowFirst = vertical?.SourceFirst ?? cy0;
            var rowEnd = vertical?.SourceEnd ?? cy1;
            var readFirst = horizontal?.SourceFirst ?? cx0;
            var readEnd = horizontal?.SourceEnd ?? cx1;

            // Intermediate rows: the crop's columns after the horizontal pass, padded to whole 8-byte vectors.
            var stride = ((cols * 4) + 7) & ~7;
            var tempArray = ArrayPool<byte>.Shared.Rent((rowEnd - rowFirst) * stride);
            var scratchArray = ArrayPool<byte>.Shared.Rent(stride);
            try
            {
                var temp = tempArray.AsSpan(0, (rowEnd - rowFirst) * stride);
                for (var sy = rowFirst; sy < rowEnd; sy++)
                {
                    var row = source.GetRow(sy);
                    if (background is { } bg)
                    {
                        Composite(row[(readFirst * 4)..(readEnd * 4)], bg);
                    }

                    var dst = temp.Slice((sy - rowFirst) * stride, stride);
                    if (horizontal is null)
                    {
                        row.Slice(cx0 * 4, cols * 4).CopyTo(dst);
                    }
                    else if (plan is not null)
                    {
                        HorizontalAvx2(row, dst, plan, horizontal);
                    }
                    else
                    {
                        HorizontalScalar(row, dst, horizontal, 0, cols);
                    }
                }

                var scratch = scratchArray.AsSpan(0, stride);
                var outOffset = (cx0 - geometry.Left) * 4;
                for (var r = 0; r < outH; r++)
                {
                    var y = geometry.Top + r;
                    if (y < cy0 || y >= cy1)
                    {
                        outRow.Clear();
                    }
                    else
                    {
                        if (vertical is null)
                        {
                            temp.Slice((y - rowFirst) * stride, cols * 4).CopyTo(outRow.Slice(outOffset, cols * 4));
                        }
                        else
                        {
                            if (path == ResamplerPath.Scalar)
                            {
                                VerticalScalar(temp, stride, vertical, y - cy0, rowFirst, scratch[..(cols * 4)]);
                            }
                            else
                            {
                                VerticalAvx2(temp, stride, vertical, y - cy0, rowFirst, scratch);
                            }

                            scratch[..(cols * 4)].CopyTo(outRow.Slice(outOffset, cols * 4));
                        }
                    }

                    sink.Row(r, outRow);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(tempArray);
                ArrayPool<byte>.Shared.Return(scratchArray);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(outRowArray);
        }
    }

    /// <summary>PIL's <c>clip8</c>: drop the fraction bits (arithmetic shift) and clamp to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte Clip8(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    /// <summary>Composites pixels with alpha below 255 on <paramref name="bg"/>, rounding to nearest, and makes them opaque.</summary>
    internal static void Composite(Span<byte> rgba, RgbColor bg)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Skip opaque stretches quickly: most pixels of most images are opaque.
            var alphaMask = Vector256.Create(0xFF000000u);
            for (; i + 32 <= rgba.Length; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(rgba), (nuint)i).AsUInt32();
                if (Vector256.EqualsAll(v & alphaMask, alphaMask))
                {
                    continue;
                }

                CompositeScalar(rgba.Slice(i, 32), bg);
            }
        }

        CompositeScalar(rgba[i..], bg);
    }

    private static void CompositeScalar(Span<byte> rgba, RgbColor bg)
    {
        for (var p = 0; p + 3 < rgba.Length; p += 4)
        {
            int a = rgba[p + 3];
            if (a == 255)
            {
                continue;
            }

            var ia = 255 - a;
            rgba[p] = (byte)(((rgba[p] * a) + (bg.R * ia) + 127) / 255);
            rgba[p + 1] = (byte)(((rgba[p + 1] * a) + (bg.G * ia) + 127) / 255);
            rgba[p + 2] = (byte)(((rgba[p + 2] * a) + (bg.B * ia) + 127) / 255);
            rgba[p + 3] = 255;
        }
    }

    /// <summary>PIL's horizontal pass for outputs <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> − 1, plain integers.</summary>
    private static void HorizontalScalar(ReadOnlySpan<byte> row, Span<byte> dst, AxisCoefficients c, int first, int count)
    {
        var k = c.KernelSize;
        for (var j = first; j < first + count; j++)
        {
            var start = c.Start[j] * 4;
            var taps = c.Taps[j];
            var w = c.Weights.Slice(j * k, taps);
            int s0 = Half, s1 = Half, s2 = Half;
            for (var t = 0; t < taps; t++)
            {
                var p = start + (t * 4);
                s0 += row[p] * w[t];
                s1 += row[p + 1] * w[t];
                s2 += row[p + 2] * w[t];
            }

            dst[j * 4] = Clip8(s0);
            dst[(j * 4) + 1] = Clip8(s1);
            dst[(j * 4) + 2] = Clip8(s2);
            dst[(j * 4) + 3] = 255;
        }
    }

    /// <summary>The horizontal pass with AVX2: one 8-lane multiply covers two source pixels (RGBA each).</summary>
    private static void HorizontalAvx2(ReadOnlySpan<byte> row, Span<byte> dst, HorizontalPlan plan, AxisCoefficients c)
    {
        ref var src = ref MemoryMarshal.GetReference(row);
        ref var lanes = ref MemoryMarshal.GetReference(plan.Lanes);
        ref var output = ref MemoryMarshal.GetReference(dst);
        var stride = plan.LaneStride;
        var groupsOf = plan.Groups;
        var windowOf = plan.WindowByte;
        var half = Vector128.Create(Half);
        for (var j = 0; j < plan.Count; j++)
        {
            var groups = groupsOf[j];
            if (groups < 0)
            {
                HorizontalScalar(row, dst, c, j, 1);
                continue;
            }

            ref var p = ref Unsafe.Add(ref src, windowOf[j]);
            ref var w = ref Unsafe.Add(ref lanes, j * stride);

            // Two accumulators, two groups (four pixels) per iteration; integer sums are order-independent.
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            nint g = 0;
            for (; g + 2 <= groups; g += 2)
            {
                acc0 += Avx2.ConvertToVector256Int32(Load8(ref p, g * 8)) * Vector256.LoadUnsafe(ref w, (nuint)(g * 8));
                acc1 += Avx2.ConvertToVector256Int32(Load8(ref p, (g * 8) + 8)) * Vector256.LoadUnsafe(ref w, (nuint)((g * 8) + 8));
            }

            if (g < groups)
            {
                acc0 += Avx2.ConvertToVector256Int32(Load8(ref p, g * 8)) * Vector256.LoadUnsafe(ref w, (nuint)(g * 8));
            }

            var acc = acc0 + acc1;
            var sum = Vector128.ShiftRightArithmetic(acc.GetLower() + acc.GetUpper() + half, PrecisionBits);
            var words = Sse2.PackSignedSaturate(sum, sum);
            var bytes = Sse2.PackUnsignedSaturate(words, words);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, j * 4), bytes.AsUInt32().ToScalar());
        }
    }

    /// <summary>PIL's vertical pass for one output row, plain integers.</summary>
    private static void VerticalScalar(ReadOnlySpan<byte> temp, int stride, AxisCoefficients c, int index, int rowFirst, Span<byte> dst)
    {
        var start = c.Start[index] - rowFirst;
        var taps = c.Taps[index];
        var w = c.Weights.Slice(index * c.KernelSize, taps);
        for (var b = 0; b < dst.Length; b++)
        {
            var s = Half;
            for (var t = 0; t < taps; t++)
            {
                s += temp[((start + t) * stride) + b] * w[t];
            }

            dst[b] = Clip8(s);
        }
    }

    /// <summary>Eight bytes at <paramref name="offset"/> in the low half of a vector (the JIT folds this into the widening load).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load8(ref byte origin, nint offset) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref origin, offset))).AsByte();

    /// <summary>The vertical pass for one output row with AVX2, 8 lanes (two pixels) at a time across the row.</summary>
    private static void VerticalAvx2(ReadOnlySpan<byte> temp, int stride, AxisCoefficients c, int index, int rowFirst, Span<byte> dst)
    {
        var start = c.Start[index] - rowFirst;
        var taps = c.Taps[index];
        var w = c.Weights.Slice(index * c.KernelSize, taps);
        ref var first = ref Unsafe.Add(ref MemoryMarshal.GetReference(temp), start * stride);
        ref var output = ref MemoryMarshal.GetReference(dst);
        var half = Vector256.Create(Half);
        for (var b = 0; b < stride; b += 8)
        {
            var acc = half;
            ref var column = ref Unsafe.Add(ref first, b);
            for (var t = 0; t < taps; t++)
            {
                var pixels = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref column, t * stride))).AsByte();
                acc += Avx2.ConvertToVector256Int32(pixels) * Vector256.Create(w[t]);
            }

            acc = Vector256.ShiftRightArithmetic(acc, PrecisionBits);
            var words = Sse2.PackSignedSaturate(acc.GetLower(), acc.GetUpper());
            var bytes = Sse2.PackUnsignedSaturate(words, words);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, b), bytes.AsUInt64().ToScalar());
        }
    }
}
