using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Medley.Host.Tensors;

/// <summary>
/// Converts raw little-endian tensor bytes (F32, F16, BF16, F64) to float32 for compute and back.
/// Narrowing rounds to nearest, ties to even, like PyTorch's <c>.to(dtype)</c> on the CPU.
/// Source bytes need not be aligned: memory-mapped tensors follow one another without padding.
/// </summary>
public static class TensorConversion
{
    /// <summary>The bfloat16 pattern PyTorch writes for every NaN: positive, quiet, no payload.</summary>
    public const ushort BFloat16CanonicalNaN = 0x7FC0;

    /// <summary>Converts <paramref name="source"/> (elements of <paramref name="dtype"/>) to float32.</summary>
    /// <param name="source">Raw little-endian bytes; a whole number of elements.</param>
    /// <param name="dtype">The element type of <paramref name="source"/>; must be convertible.</param>
    /// <param name="destination">Receives one float per source element; exactly that length.</param>
    public static void ToSingle(ReadOnlySpan<byte> source, SafetensorsDtype dtype, Span<float> destination)
    {
        CheckLengths(source.Length, dtype, destination.Length, nameof(destination));
        switch (dtype)
        {
            case SafetensorsDtype.F32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case SafetensorsDtype.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafetensorsDtype.BF16:
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case SafetensorsDtype.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(source);
                for (var i = 0; i < doubles.Length; i++)
                {
                    destination[i] = (float)doubles[i];
                }

                break;
            default:
                throw NotConvertible(dtype);
        }
    }

    /// <summary>Converts float32 values to <paramref name="dtype"/>, rounding to nearest even when narrowing.</summary>
    /// <param name="source">The values.</param>
    /// <param name="dtype">The element type to write; must be convertible.</param>
    /// <param name="destination">Receives the raw little-endian bytes; exactly <c>source.Length × element size</c> long.</param>
    public static void FromSingle(ReadOnlySpan<float> source, SafetensorsDtype dtype, Span<byte> destination)
    {
        CheckLengths(destination.Length, dtype, source.Length, nameof(source));
        switch (dtype)
        {
            case SafetensorsDtype.F32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case SafetensorsDtype.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case SafetensorsDtype.BF16:
                SingleToBFloat16(source, MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            case SafetensorsDtype.F64:
                var doubles = MemoryMarshal.Cast<byte, double>(destination);
                for (var i = 0; i < source.Length; i++)
                {
                    doubles[i] = source[i];
                }

                break;
            default:
                throw NotConvertible(dtype);
        }
    }

    /// <summary>Widens bfloat16 bit patterns to float32; exact (every bfloat16 is a float32).</summary>
    /// <param name="source">bfloat16 bit patterns.</param>
    /// <param name="destination">Same length as <paramref name="source"/>.</param>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values, source {source.Length}.", nameof(destination));
        }

        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
                Vector256.ShiftLeft(lower, 16).StoreUnsafe(ref dst, (nuint)i);
                Vector256.ShiftLeft(upper, 16).StoreUnsafe(ref dst, (nuint)(i + Vector256<uint>.Count));
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, (nuint)i));
                Vector128.ShiftLeft(lower, 16).StoreUnsafe(ref dst, (nuint)i);
                Vector128.ShiftLeft(upper, 16).StoreUnsafe(ref dst, (nuint)(i + Vector128<uint>.Count));
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref dst, i) = (uint)Unsafe.Add(ref src, i) << 16;
        }
    }

    /// <summary>
    /// Narrows float32 to bfloat16 bit patterns: round to nearest, ties to even, on the upper 16 bits;
    /// overflow rounds to infinity; every NaN becomes <see cref="BFloat16CanonicalNaN"/> as in PyTorch.
    /// </summary>
    /// <param name="source">The values.</param>
    /// <param name="destination">Same length as <paramref name="source"/>.</param>
    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values, source {source.Length}.", nameof(destination));
        }

        ref var src = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var lower = RoundToBFloat16(Vector256.LoadUnsafe(ref src, (nuint)i));
                var upper = RoundToBFloat16(Vector256.LoadUnsafe(ref src, (nuint)(i + Vector256<uint>.Count)));
                Vector256.Narrow(lower, upper).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                var lower = RoundToBFloat16(Vector128.LoadUnsafe(ref src, (nuint)i));
                var upper = RoundToBFloat16(Vector128.LoadUnsafe(ref src, (nuint)(i + Vector128<uint>.Count)));
                Vector128.Narrow(lower, upper).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref dst, i) = SingleToBFloat16(Unsafe.Add(ref src, i));
        }
    }

    /// <summary>Narrows one float32 bit pattern to bfloat16 (see <see cref="SingleToBFloat16(ReadOnlySpan{float}, Span{ushort})"/>).</summary>
    /// <param name="bits">The float32 bit pattern.</param>
    /// <returns>The bfloat16 bit pattern.</returns>
    public static ushort SingleToBFloat16(uint bits)
    {
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return BFloat16CanonicalNaN;
        }

        // Adding 0x7FFF plus the lowest kept bit carries into the kept half exactly when the dropped
        // half is above one half, or equal to it with an odd kept half: round half to even.
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    private static Vector256<uint> RoundToBFloat16(Vector256<uint> bits)
    {
        var rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + (Vector256.ShiftRightLogical(bits, 16) & Vector256<uint>.One), 16);
        var isNaN = Vector256.GreaterThan(bits & Vector256.Create(0x7FFF_FFFFu), Vector256.Create(0x7F80_0000u));
        return Vector256.ConditionalSelect(isNaN, Vector256.Create((uint)BFloat16CanonicalNaN), rounded);
    }

    private static Vector128<uint> RoundToBFloat16(Vector128<uint> bits)
    {
        var rounded = Vector128.ShiftRightLogical(bits + Vector128.Create(0x7FFFu) + (Vector128.ShiftRightLogical(bits, 16) & Vector128<uint>.One), 16);
        var isNaN = Vector128.GreaterThan(bits & Vector128.Create(0x7FFF_FFFFu), Vector128.Create(0x7F80_0000u));
        return Vector128.ConditionalSelect(isNaN, Vector128.Create((uint)BFloat16CanonicalNaN), rounded);
    }

    private static void CheckLengths(int byteLength, SafetensorsDtype dtype, int elementCount, string elementParameter)
    {
        if (!dtype.IsConvertibleToSingle())
        {
            throw NotConvertible(dtype);
        }

        if ((long)elementCount * dtype.ElementSize() != byteLength)
        {
            throw new ArgumentException(
                $"{byteLength} bytes of {dtype} hold {byteLength / (double)dtype.ElementSize()} elements, but {elementParameter} holds {elementCount}.",
                elementParameter);
        }
    }

    private static NotSupportedException NotConvertible(SafetensorsDtype dtype) =>
        new($"{dtype} tensors are passed through as raw bytes; only F32, F16, BF16 and F64 convert to float32.");
}
