namespace Medley.Sdk;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose sequence is fixed
/// by this SDK rather than by the .NET runtime, so seeded results stay bit-identical across runtimes,
/// machines and thread counts. Not for cryptography.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator from a seed.</summary>
    /// <param name="seed">Any value; equal seeds give equal sequences.</param>
    public DeterministicRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Derives an independent seed from a parent seed and a label (a tensor name, a model index).</summary>
    /// <param name="seed">The parent seed.</param>
    /// <param name="label">What the derived stream is for.</param>
    /// <returns>A seed that depends on both inputs and on nothing else.</returns>
    public static ulong Derive(ulong seed, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        // FNV-1a over UTF-16 code units, then mixed with the parent: stable, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var c in label)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var x = seed ^ hash;
        return SplitMix(ref x);
    }

    /// <summary>Derives an independent seed from a parent seed and an index.</summary>
    /// <param name="seed">The parent seed.</param>
    /// <param name="index">Stream index.</param>
    /// <returns>The derived seed.</returns>
    public static ulong Derive(ulong seed, long index)
    {
        var x = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        return SplitMix(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed value.</returns>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    /// <returns>The value.</returns>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <param name="maxExclusive">Upper bound, positive.</param>
    /// <returns>The value.</returns>
    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift with rejection keeps the result unbiased.
        var range = (ulong)maxExclusive;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), range, out var low);
            if (low >= (0UL - range) % range)
            {
                return (int)product;
            }
        }
    }

    /// <summary>
    /// Sets bit <c>i</c> of <paramref name="mask"/> (bit <c>i % 64</c> of word <c>i / 64</c>) exactly when the i-th
    /// <see cref="NextDouble"/> call would return less than <paramref name="probability"/>, for i below
    /// <paramref name="count"/>; advances the generator as those calls would. The state lives in registers meanwhile,
    /// which makes drawing a mask for millions of elements several times faster than calling <see cref="NextDouble"/>.
    /// </summary>
    internal void FillBernoulliMask(Span<ulong> mask, int count, double probability)
    {
        var (s0, s1, s2, s3) = (_s0, _s1, _s2, _s3);
        for (var word = 0; word * 64 < count; word++)
        {
            var bits = 0UL;
            var end = Math.Min(64, count - (word * 64));
            for (var bit = 0; bit < end; bit++)
            {
                var result = RotateLeft(s1 * 5, 7) * 9;
                var t = s1 << 17;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= t;
                s3 = RotateLeft(s3, 45);
                var draw = (result >> 11) * (1.0 / (1UL << 53));
                bits |= (draw < probability ? 1UL : 0UL) << bit;
            }

            mask[word] = bits;
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong value, int shift) => (value << shift) | (value >> (64 - shift));
}
