using System.Runtime.InteropServices;
using CsCheck;
using Medley.Host.Tensors;

namespace Medley.Tensors.Tests;

public sealed class HalfConversionTests
{
    /// <summary>IEEE half → double from the bit fields: 1 sign, 5 exponent (bias 15), 10 mantissa bits.</summary>
    private static double ReferenceHalfValue(ushort bits)
    {
        var sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
        var exponent = (bits >> 10) & 0x1F;
        var mantissa = bits & 0x3FF;
        return exponent switch
        {
            0 => sign * mantissa * Math.Pow(2, -24),
            31 => mantissa == 0 ? sign * double.PositiveInfinity : double.NaN,
            _ => sign * (1024 + mantissa) * Math.Pow(2, exponent - 25),
        };
    }

    private static ushort[] ToHalf(float[] values)
    {
        var bytes = new byte[values.Length * 2];
        TensorConversion.FromSingle(values, SafetensorsDtype.F16, bytes);
        return MemoryMarshal.Cast<byte, ushort>(bytes).ToArray();
    }

    [Fact]
    public void Every_half_widens_to_the_value_its_bits_encode()
    {
        var patterns = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        var widened = new float[patterns.Length];
        TensorConversion.ToSingle(MemoryMarshal.AsBytes(patterns.AsSpan()), SafetensorsDtype.F16, widened);
        for (var i = 0; i < patterns.Length; i++)
        {
            var expected = ReferenceHalfValue(patterns[i]);
            if (double.IsNaN(expected))
            {
                Assert.True(float.IsNaN(widened[i]), $"0x{i:X4} should widen to NaN");
            }
            else
            {
                Assert.Equal(expected, (double)widened[i]);
            }
        }
    }

    [Fact]
    public void Every_finite_half_round_trips_and_midpoints_round_to_even()
    {
        // For each pair of neighbouring positive halves h, h + 1 (the last pair being the largest finite
        // and infinity), the float midpoint is exact; it must go to the even one of the pair, and the
        // floats just below and above it to h and h + 1.
        var inputs = new List<float>();
        var expected = new List<ushort>();
        for (var h = 0; h < 0x7C00; h++)
        {
            var low = ReferenceHalfValue((ushort)h);
            var high = h + 1 == 0x7C00 ? 65536.0 : ReferenceHalfValue((ushort)(h + 1));
            var midpoint = (float)((low + high) / 2);
            foreach (var sign in new[] { 1f, -1f })
            {
                var signBit = sign < 0 ? (ushort)0x8000 : (ushort)0;
                inputs.AddRange([sign * (float)low, sign * midpoint, sign * MathF.BitDecrement(midpoint), sign * MathF.BitIncrement(midpoint)]);
                var even = (h & 1) == 0 ? h : h + 1;
                expected.AddRange([(ushort)(h | signBit), (ushort)(even | signBit), (ushort)(h | signBit), (ushort)((h + 1) | signBit)]);
            }
        }

        var converted = ToHalf([.. inputs]);
        for (var i = 0; i < converted.Length; i++)
        {
            if (converted[i] != expected[i])
            {
                Assert.Fail($"{inputs[i]:R}: got 0x{converted[i]:X4}, expected 0x{expected[i]:X4}");
            }
        }
    }

    [Theory]
    [InlineData(65504f, 0x7BFF)] // largest finite half
    [InlineData(65519.99f, 0x7BFF)] // below the overflow midpoint
    [InlineData(65520f, 0x7C00)] // the midpoint to 65536 rounds (to even) to infinity
    [InlineData(1.00048828125f, 0x3C00)] // 1 + 2^-11: tie, 1.0 is even
    [InlineData(1.00146484375f, 0x3C02)] // 1 + 3·2^-11: tie between 0x3C01 and 0x3C02
    [InlineData(5.9604645E-08f, 0x0001)] // 2^-24, the smallest subnormal
    [InlineData(2.9802322E-08f, 0x0000)] // 2^-25: tie between 0 and 2^-24, goes to 0
    [InlineData(8.940697E-08f, 0x0002)] // 3·2^-25: tie between 1 and 2
    [InlineData(float.PositiveInfinity, 0x7C00)]
    [InlineData(float.NegativeInfinity, 0xFC00)]
    public void Hand_checked_values_round_to_nearest_even(float value, int expected)
    {
        Assert.Equal((ushort)expected, ToHalf([value])[0]);
    }

    [Fact]
    public void NaN_stays_NaN()
    {
        var converted = ToHalf([float.NaN, -float.NaN, BitConverter.UInt32BitsToSingle(0x7F80_0001)]);
        Assert.All(converted, bits => Assert.True((bits & 0x7FFF) > 0x7C00, $"0x{bits:X4} is not NaN"));
    }

    [Fact]
    public void Random_floats_convert_like_the_scalar_half_cast()
    {
        Gen.Float.Array[0, 70].Sample(values =>
        {
            var converted = ToHalf(values);
            for (var i = 0; i < values.Length; i++)
            {
                var scalar = BitConverter.HalfToUInt16Bits((Half)values[i]);
                if (float.IsNaN(values[i]))
                {
                    Assert.True((converted[i] & 0x7FFF) > 0x7C00);
                }
                else
                {
                    Assert.Equal(scalar, converted[i]);
                }
            }
        });
    }
}
