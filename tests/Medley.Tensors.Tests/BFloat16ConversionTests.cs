using System.Runtime.InteropServices;
using CsCheck;
using Medley.Host.Tensors;

namespace Medley.Tensors.Tests;

public sealed class BFloat16ConversionTests
{
    private static readonly uint[] s_specials =
    [
        0x0000_0000, 0x8000_0000, 0x0000_0001, 0x0000_8000, 0x0001_8000, 0x007F_FFFF, 0x0080_0000,
        0x3F80_8000, 0x3F81_8000, 0x3F80_8001, 0x3F80_7FFF, 0x7F7F_7FFF, 0x7F7F_8000, 0x7F7F_FFFF,
        0x7F80_0000, 0xFF80_0000, 0x7F80_0001, 0x7FC0_0000, 0xFFFF_FFFF, 0xFF7F_8000,
    ];

    /// <summary>
    /// Round to nearest, ties to even, decided in double precision: the two bfloat16 neighbours of the
    /// value are found by truncation and by the next pattern up (2^128 standing in for the overflow
    /// neighbour), and the closer wins; on a tie the one with an even last bit wins. NaN gives 0x7FC0.
    /// </summary>
    private static ushort ReferenceBFloat16(uint bits)
    {
        var value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var sign = bits & 0x8000_0000u;
        var magnitude = bits & 0x7FFF_FFFFu;
        if (magnitude == 0x7F80_0000u)
        {
            return (ushort)((sign | magnitude) >> 16);
        }

        var exact = Math.Abs((double)value);
        var lowerBits = magnitude & 0xFFFF_0000u;
        var upperBits = lowerBits + 0x1_0000u;
        double lower = BitConverter.UInt32BitsToSingle(lowerBits);
        var upper = upperBits == 0x7F80_0000u ? Math.Pow(2, 128) : BitConverter.UInt32BitsToSingle(upperBits);
        var toLower = exact - lower;
        var toUpper = upper - exact;
        var chosen = toLower < toUpper ? lowerBits
            : toUpper < toLower ? upperBits
            : ((lowerBits >> 16) & 1) == 0 ? lowerBits : upperBits;
        return (ushort)((sign | chosen) >> 16);
    }

    private static ushort[] Convert(uint[] bits)
    {
        var result = new ushort[bits.Length];
        TensorConversion.SingleToBFloat16(MemoryMarshal.Cast<uint, float>(bits), result);
        return result;
    }

    [Theory]
    [InlineData(0x3F80_0000u, 0x3F80)] // 1.0 exactly
    [InlineData(0x3F80_8000u, 0x3F80)] // 1 + 2^-8: halfway between 1 and 1 + 2^-7, 1.0 is even
    [InlineData(0x3F81_8000u, 0x3F82)] // halfway between 0x3F81 (odd) and 0x3F82 (even)
    [InlineData(0x3F80_8001u, 0x3F81)] // just above halfway rounds up
    [InlineData(0x3F80_7FFFu, 0x3F80)] // just below halfway rounds down
    [InlineData(0xBF81_8000u, 0xBF82)] // the negative tie rounds the magnitude the same way
    [InlineData(0x8000_0000u, 0x8000)] // -0 keeps its sign
    [InlineData(0x0000_0001u, 0x0000)] // the smallest subnormal rounds to zero
    [InlineData(0x0000_8000u, 0x0000)] // subnormal tie to even zero
    [InlineData(0x0001_8000u, 0x0002)] // subnormal tie between 1 (odd) and 2
    [InlineData(0x007F_FFFFu, 0x0080)] // largest subnormal rounds up to the smallest normal
    [InlineData(0x7F7F_7FFFu, 0x7F7F)] // near max, below halfway: stays the largest finite bfloat16
    [InlineData(0x7F7F_8000u, 0x7F80)] // halfway above the largest finite (odd): rounds to infinity
    [InlineData(0x7F7F_FFFFu, 0x7F80)] // float.MaxValue overflows to infinity
    [InlineData(0xFF7F_FFFFu, 0xFF80)] // float.MinValue overflows to negative infinity
    [InlineData(0x7F80_0000u, 0x7F80)] // +inf
    [InlineData(0xFF80_0000u, 0xFF80)] // -inf
    [InlineData(0x7FC0_0000u, 0x7FC0)] // quiet NaN
    [InlineData(0x7F80_0001u, 0x7FC0)] // signalling NaN whose payload is only in the dropped half: stays NaN
    [InlineData(0xFFFF_FFFFu, 0x7FC0)] // negative NaN becomes the canonical NaN, as in PyTorch
    public void Hand_checked_values_round_to_nearest_even(uint bits, int expected)
    {
        Assert.Equal((ushort)expected, ReferenceBFloat16(bits));
        Assert.Equal((ushort)expected, TensorConversion.SingleToBFloat16(bits));
        Assert.Equal((ushort)expected, Convert([bits])[0]);
    }

    [Fact]
    public void Every_upper_half_with_boundary_lower_halves_matches_the_reference()
    {
        uint[] lowerHalves = [0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF];
        var bits = new uint[65536 * lowerHalves.Length];
        var n = 0;
        for (var upper = 0u; upper <= 0xFFFF; upper++)
        {
            foreach (var lower in lowerHalves)
            {
                bits[n++] = (upper << 16) | lower;
            }
        }

        var converted = Convert(bits);
        for (var i = 0; i < bits.Length; i++)
        {
            if (converted[i] != ReferenceBFloat16(bits[i]))
            {
                Assert.Fail($"0x{bits[i]:X8}: got 0x{converted[i]:X4}, expected 0x{ReferenceBFloat16(bits[i]):X4}");
            }
        }
    }

    [Fact]
    public void Random_arrays_match_the_reference_in_vector_bodies_and_tails()
    {
        var element = Gen.Frequency((4, Gen.UInt), (1, Gen.Int[0, s_specials.Length - 1].Select(i => s_specials[i])));
        element.Array[0, 80].Sample(bits =>
        {
            var converted = Convert(bits);
            for (var i = 0; i < bits.Length; i++)
            {
                Assert.Equal(ReferenceBFloat16(bits[i]), converted[i]);
            }
        });
    }

    [Fact]
    public void Every_bfloat16_widens_exactly_and_narrows_back_unchanged()
    {
        var patterns = new ushort[65536];
        for (var i = 0; i < patterns.Length; i++)
        {
            patterns[i] = (ushort)i;
        }

        var widened = new float[patterns.Length];
        TensorConversion.ToSingle(MemoryMarshal.AsBytes(patterns.AsSpan()), SafetensorsDtype.BF16, widened);
        var back = new byte[patterns.Length * 2];
        TensorConversion.FromSingle(widened, SafetensorsDtype.BF16, back);
        var backPatterns = MemoryMarshal.Cast<byte, ushort>(back);
        for (var i = 0; i < patterns.Length; i++)
        {
            Assert.Equal((uint)i << 16, BitConverter.SingleToUInt32Bits(widened[i]));
            var isNaN = (i & 0x7FFF) > 0x7F80;
            Assert.Equal(isNaN ? (ushort)0x7FC0 : (ushort)i, backPatterns[i]);
        }
    }
}
