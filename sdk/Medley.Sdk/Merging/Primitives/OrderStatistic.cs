namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// Finds order statistics (medians, quantiles, top-k thresholds) in linear expected time without sorting a whole
/// tensor; shared by merge methods that threshold by rank (SCE's variance cut, Arcee fusion's IQR rule).
/// </summary>
public static class OrderStatistic
{
    /// <summary>
    /// Returns the value that would sit at <paramref name="index"/> if <paramref name="values"/> were sorted
    /// ascending; reorders <paramref name="values"/> (a scratch copy).
    /// </summary>
    /// <param name="values">The values; reordered in place, so pass a scratch copy.</param>
    /// <param name="index">The 0-based rank wanted.</param>
    /// <returns>The value of that rank.</returns>
    public static float Select(Span<float> values, int index)
    {
        var low = 0;
        var high = values.Length - 1;
        while (low < high)
        {
            // Three-way partition around the median of three: runs of equal values (zeros) stay linear.
            var pivot = MedianOfThree(values[low], values[low + ((high - low) / 2)], values[high]);
            int lessEnd = low, scan = low, greaterStart = high;
            while (scan <= greaterStart)
            {
                if (values[scan] < pivot)
                {
                    (values[lessEnd], values[scan]) = (values[scan], values[lessEnd]);
                    lessEnd++;
                    scan++;
                }
                else if (values[scan] > pivot)
                {
                    (values[scan], values[greaterStart]) = (values[greaterStart], values[scan]);
                    greaterStart--;
                }
                else
                {
                    scan++;
                }
            }

            if (index < lessEnd)
            {
                high = lessEnd - 1;
            }
            else if (index > greaterStart)
            {
                low = greaterStart + 1;
            }
            else
            {
                return pivot;
            }
        }

        return values[index];
    }

    private static float MedianOfThree(float a, float b, float c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
