namespace RichScoring.Numerics;

public static partial class EmbeddingMath
{
    /// <summary>
    /// The indices of the k largest values, largest first, with k = <c>destinationIndices.Length</c>, in O(N log k)
    /// time and no allocation (a bounded binary heap kept in <paramref name="destinationIndices"/>).
    /// </summary>
    /// <param name="values">The values (scores).</param>
    /// <param name="destinationIndices">Receives the indices; its length is k.</param>
    /// <returns>
    /// How many indices were written: min(k, number of non-NaN values). The entries after them are set to −1.
    /// </returns>
    /// <remarks>
    /// Equal values (−0 and +0 included) are ordered by lower index first, so the result is deterministic and
    /// <c>TopK(values, one)[0] == ArgMax(values)</c>. NaN values are skipped; ±Inf are ordinary values. k = 0 returns 0.
    /// </remarks>
    public static int TopK(ReadOnlySpan<float> values, Span<int> destinationIndices)
    {
        var k = destinationIndices.Length;
        if (k == 0)
        {
            return 0;
        }

        // A min-heap by "worse" (smaller value, or equal value and larger index): its root is the weakest kept entry.
        var heap = destinationIndices;
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (float.IsNaN(value))
            {
                continue;
            }

            if (count < k)
            {
                heap[count] = i;
                SiftUp(values, heap, count);
                count++;
            }
            else if (value > values[heap[0]])
            {
                // A tie with the root loses: i is larger than every index already kept.
                heap[0] = i;
                SiftDown(values, heap, 0, count);
            }
        }

        // Heap sort: moving the weakest to the end, one by one, leaves the strongest first.
        for (var end = count - 1; end > 0; end--)
        {
            (heap[0], heap[end]) = (heap[end], heap[0]);
            SiftDown(values, heap, 0, end);
        }

        heap[count..].Fill(-1);
        return count;
    }

    private static bool IsWorse(ReadOnlySpan<float> values, int a, int b)
    {
        var va = values[a];
        var vb = values[b];
        return va < vb || (va == vb && a > b);
    }

    private static void SiftUp(ReadOnlySpan<float> values, Span<int> heap, int position)
    {
        while (position > 0)
        {
            var parent = (position - 1) / 2;
            if (!IsWorse(values, heap[position], heap[parent]))
            {
                return;
            }

            (heap[position], heap[parent]) = (heap[parent], heap[position]);
            position = parent;
        }
    }

    private static void SiftDown(ReadOnlySpan<float> values, Span<int> heap, int position, int count)
    {
        while (true)
        {
            var child = (2 * position) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && IsWorse(values, heap[child + 1], heap[child]))
            {
                child++;
            }

            if (!IsWorse(values, heap[child], heap[position]))
            {
                return;
            }

            (heap[position], heap[child]) = (heap[child], heap[position]);
            position = child;
        }
    }
}
