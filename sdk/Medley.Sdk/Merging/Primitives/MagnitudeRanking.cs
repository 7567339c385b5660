using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// Selects the k elements of largest magnitude in linear time, with one total order shared by every
/// magnitude-based primitive: larger |x| ranks first and, among equal magnitudes, the lower index ranks first.
/// </summary>
/// <remarks>
/// The magnitude's IEEE-754 bits (sign cleared) order like the magnitudes themselves, so a two-pass radix select
/// over the high and low 16 bits finds the k-th largest magnitude without sorting or copying the tensor. NaN
/// ranks above infinity, so a NaN in a task vector is kept rather than silently dropped.
/// </remarks>
internal struct MagnitudeRanking
{
    private const int BucketCount = 1 << 16;

    private readonly uint _thresholdBits;
    private readonly bool _keepAll;
    private readonly bool _keepNone;
    private int _tiesLeft;

    private MagnitudeRanking(uint thresholdBits, int tiesToKeep, bool keepAll, bool keepNone)
    {
        _thresholdBits = thresholdBits;
        _tiesLeft = tiesToKeep;
        _keepAll = keepAll;
        _keepNone = keepNone;
    }

    /// <summary>The order key of a value: its magnitude's bits.</summary>
    public static uint Key(float value) => BitConverter.SingleToUInt32Bits(value) & 0x7FFF_FFFFu;

    /// <summary>Finds the cut-off for the <paramref name="k"/> largest magnitudes of <paramref name="values"/>.</summary>
    public static MagnitudeRanking Top(ReadOnlySpan<float> values, int k)
    {
        if (k <= 0)
        {
            return new MagnitudeRanking(0, 0, keepAll: false, keepNone: true);
        }

        if (k >= values.Length)
        {
            return new MagnitudeRanking(0, 0, keepAll: true, keepNone: false);
        }

        var counts = ArrayPool<int>.Shared.Rent(BucketCount);
        try
        {
            Array.Clear(counts, 0, BucketCount);
            CountHigh(values, counts);
            var (high, aboveHigh) = FindBucket(counts, k, 0);
            Array.Clear(counts, 0, BucketCount);
            CountLow(values, counts, high);
            var (low, above) = FindBucket(counts, k, aboveHigh);
            return new MagnitudeRanking((high << 16) | low, k - above, keepAll: false, keepNone: false);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>
    /// Finds the same cut-off as <see cref="Top(ReadOnlySpan{float}, int)"/> for values that are produced part by part:
    /// <paramref name="forEachPart"/> must hand every value to its visitor once, in index order, each time it is called
    /// (it is called twice).
    /// </summary>
    public static MagnitudeRanking Top(int count, int k, Action<SpanVisitor> forEachPart)
    {
        if (k <= 0)
        {
            return new MagnitudeRanking(0, 0, keepAll: false, keepNone: true);
        }

        if (k >= count)
        {
            return new MagnitudeRanking(0, 0, keepAll: true, keepNone: false);
        }

        var counts = ArrayPool<int>.Shared.Rent(BucketCount);
        try
        {
            Array.Clear(counts, 0, BucketCount);
            forEachPart(part => CountHigh(part, counts));
            var (high, aboveHigh) = FindBucket(counts, k, 0);
            Array.Clear(counts, 0, BucketCount);
            forEachPart(part => CountLow(part, counts, high));
            var (low, above) = FindBucket(counts, k, aboveHigh);
            return new MagnitudeRanking((high << 16) | low, k - above, keepAll: false, keepNone: false);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>
    /// Zeroes the values of the next part that are not admitted, as calling <see cref="Admits"/> on each in order
    /// would; parts must come in index order.
    /// </summary>
    public void Apply(Span<float> part)
    {
        if (_keepAll)
        {
            return;
        }

        if (_keepNone)
        {
            part.Clear();
            return;
        }

        ref var bits = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(part));
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var threshold = Vector256.Create(_thresholdBits);
            var magnitude = Vector256.Create(0x7FFF_FFFFu);
            for (; i <= part.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                var value = Vector256.LoadUnsafe(ref bits, (nuint)i);
                var key = value & magnitude;
                if (_tiesLeft > 0 && Vector256.EqualsAny(key, threshold))
                {
                    // Ties at the cut-off are rare; they are admitted one by one, in index order.
                    for (var j = i; j < i + Vector256<uint>.Count; j++)
                    {
                        if (!Admits(part[j]))
                        {
                            part[j] = 0f;
                        }
                    }

                    continue;
                }

                (value & Vector256.GreaterThan(key, threshold)).StoreUnsafe(ref bits, (nuint)i);
            }
        }

        for (; i < part.Length; i++)
        {
            if (!Admits(part[i]))
            {
                part[i] = 0f;
            }
        }
    }

    /// <summary>
    /// Whether the next element (callers pass every element once, in index order) is among the top k. Ties at
    /// the cut-off are admitted in index order until the count is reached, hence the mutation.
    /// </summary>
    public bool Admits(float value)
    {
        if (_keepAll || _keepNone)
        {
            return _keepAll;
        }

        var key = Key(value);
        if (key > _thresholdBits)
        {
            return true;
        }

        if (key == _thresholdBits && _tiesLeft > 0)
        {
            _tiesLeft--;
            return true;
        }

        return false;
    }

    private static void CountHigh(ReadOnlySpan<float> values, int[] counts)
    {
        foreach (var value in values)
        {
            counts[Key(value) >> 16]++;
        }
    }

    private static void CountLow(ReadOnlySpan<float> values, int[] counts, uint high)
    {
        foreach (var value in values)
        {
            var key = Key(value);
            if (key >> 16 == high)
            {
                counts[key & 0xFFFF]++;
            }
        }
    }

    // Walks the buckets from the largest magnitude down until the running count reaches k; returns the bucket
    // holding the k-th largest element and how many elements lie in strictly larger buckets.
    private static (uint Bucket, int Above) FindBucket(int[] counts, int k, int aboveAlready)
    {
        var above = aboveAlready;
        for (var bucket = BucketCount - 1; bucket >= 0; bucket--)
        {
            if (above + counts[bucket] >= k)
            {
                return ((uint)bucket, above);
            }

            above += counts[bucket];
        }

        throw new InvalidOperationException("The magnitude histogram holds fewer elements than requested.");
    }
}
