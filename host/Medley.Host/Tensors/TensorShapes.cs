namespace Medley.Host.Tensors;

/// <summary>Shape arithmetic shared by the reader and the writer.</summary>
public static class TensorShapes
{
    /// <summary>The element count of a shape (1 for a scalar); throws <see cref="OverflowException"/> past <see cref="long.MaxValue"/>.</summary>
    /// <param name="shape">The dimensions, each non-negative.</param>
    /// <returns>The product of the dimensions.</returns>
    public static long ElementCount(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var count = 1L;
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            count = checked(count * dim);
        }

        return count;
    }

    /// <summary>Formats a shape as <c>[a, b]</c>.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The text.</returns>
    public static string Format(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return "[" + string.Join(", ", shape) + "]";
    }
}
