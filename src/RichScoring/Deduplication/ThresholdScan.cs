using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RichScoring;

/// <summary>Finds values at or above a threshold in a row of similarities, a vector at a time (almost every value is below).</summary>
internal static class ThresholdScan
{
    /// <summary>The index of the first value ≥ <paramref name="threshold"/> (NaN never is), or −1.</summary>
    public static int IndexOfAtLeast(ReadOnlySpan<float> values, float threshold)
    {
        ref var first = ref MemoryMarshal.GetReference(values);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var limit = Vector256.Create(threshold);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var mask = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref first, (nuint)i), limit).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + BitOperations.TrailingZeroCount(mask);
                }
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var limit = Vector128.Create(threshold);
            for (; i <= values.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var mask = Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref first, (nuint)i), limit).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + BitOperations.TrailingZeroCount(mask);
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (values[i] >= threshold)
            {
                return i;
            }
        }

        return -1;
    }
}
