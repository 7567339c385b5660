namespace Medley.Host.Tensors;

/// <summary>Facts about <see cref="SafetensorsDtype"/> values: header spelling, element size, convertibility.</summary>
public static class SafetensorsDtypes
{
    /// <summary>The header spellings of every dtype, for error messages.</summary>
    public static string KnownNames { get; } = string.Join(", ", Enum.GetNames<SafetensorsDtype>());

    /// <summary>Parses a header dtype string; the match is exact (case-sensitive) as in the reference implementation.</summary>
    /// <param name="text">The header's <c>dtype</c> value.</param>
    /// <param name="dtype">The parsed dtype.</param>
    /// <returns>Whether <paramref name="text"/> names a known dtype.</returns>
    public static bool TryParse(string text, out SafetensorsDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Enum.TryParse would also accept numbers and other casings; headers must use the exact names.
        foreach (var candidate in Enum.GetValues<SafetensorsDtype>())
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>The header spelling of a dtype.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The name as written in a safetensors header.</returns>
    public static string ToHeaderName(this SafetensorsDtype dtype) => dtype.ToString();

    /// <summary>Bytes per element.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The element size in bytes.</returns>
    public static int ElementSize(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.BOOL or SafetensorsDtype.U8 or SafetensorsDtype.I8
            or SafetensorsDtype.F8_E5M2 or SafetensorsDtype.F8_E4M3 => 1,
        SafetensorsDtype.I16 or SafetensorsDtype.U16 or SafetensorsDtype.F16 or SafetensorsDtype.BF16 => 2,
        SafetensorsDtype.I32 or SafetensorsDtype.U32 or SafetensorsDtype.F32 => 4,
        SafetensorsDtype.F64 or SafetensorsDtype.I64 or SafetensorsDtype.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>
    /// Whether tensors of this dtype are converted to float32 for compute (F32, F16, BF16, F64).
    /// Integer, boolean and 8-bit float tensors are passed through as raw bytes.
    /// </summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>True for dtypes <see cref="TensorConversion"/> converts.</returns>
    public static bool IsConvertibleToSingle(this SafetensorsDtype dtype) =>
        dtype is SafetensorsDtype.F32 or SafetensorsDtype.F16 or SafetensorsDtype.BF16 or SafetensorsDtype.F64;
}
