using System.Buffers;
using System.Globalization;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// DELLA "MagPrune": within each row, ranks the elements by magnitude, maps the rank to <c>r ∈ [0, 1]</c>
/// (0 for the smallest, 1 for the largest) and keeps each element with probability
/// <c>p = (density − ε) + 2ε·r</c>, so large values survive more often while the expected share kept is
/// <c>density</c>.
/// </summary>
/// <remarks>
/// Rows are runs of <c>rowLength</c> consecutive elements (the last dimension; a 1-D tensor is one row). mergekit
/// ranks along dimension 1, which is the same for the 1-D and 2-D tensors of language models. A row of one element
/// has no rank spread and gets <c>r = 0.5</c>, i.e. <c>p = density</c> (mergekit divides by zero there). Ties in
/// magnitude are ranked by index, the lower index counting as larger. One uniform draw per element, in index order.
/// </remarks>
public static class DellaMagPruneSparsifier
{
    /// <summary>
    /// Checks that <c>0 &lt; density − epsilon</c> and <c>density + epsilon &lt; 1</c>, the rule DELLA needs for
    /// every keep probability to be a probability. A density of 0 or of 1 and more needs no epsilon.
    /// </summary>
    /// <param name="density">The target share kept.</param>
    /// <param name="epsilon">Half the spread of keep probabilities.</param>
    /// <returns>A message naming both values when the rule is broken, otherwise <see langword="null"/>.</returns>
    public static string? CheckParameters(double density, double epsilon)
    {
        if (density <= 0 || density >= 1)
        {
            return null;
        }

        if (epsilon < 0 || density - epsilon <= 0 || density + epsilon >= 1)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"DELLA needs 0 < density - epsilon and density + epsilon < 1 (and epsilon >= 0), but density {density} and epsilon {epsilon} give [{density - epsilon}, {density + epsilon}].");
        }

        return null;
    }

    /// <summary>Zeroes elements at random, favouring small magnitudes, in place.</summary>
    /// <param name="delta">The task vector, row-major.</param>
    /// <param name="rowLength">Elements per row; must divide the length of <paramref name="delta"/>.</param>
    /// <param name="density">Expected share kept, in [0, 1]; 1 or more leaves the vector untouched, 0 zeroes it.</param>
    /// <param name="epsilon">Half the spread of keep probabilities; see <see cref="CheckParameters"/>.</param>
    /// <param name="random">The random stream (one per task vector).</param>
    /// <returns>The number of elements kept.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <see cref="CheckParameters"/> reports a problem or the row length does not fit.</exception>
    public static int Sparsify(Span<float> delta, int rowLength, double density, double epsilon, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (density >= 1)
        {
            return delta.Length;
        }

        if (density <= 0)
        {
            delta.Clear();
            return 0;
        }

        var problem = CheckParameters(density, epsilon);
        if (problem is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, problem);
        }

        if (delta.Length == 0)
        {
            return 0;
        }

        if (rowLength <= 0 || delta.Length % rowLength != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, $"A row length of {rowLength} does not divide {delta.Length} elements.");
        }

        var keys = ArrayPool<ulong>.Shared.Rent(rowLength);
        var ranks = ArrayPool<int>.Shared.Rent(rowLength);
        try
        {
            var kept = 0;
            for (var start = 0; start < delta.Length; start += rowLength)
            {
                var row = delta.Slice(start, rowLength);
                RankByMagnitude(row, keys.AsSpan(0, rowLength), ranks.AsSpan(0, rowLength));
                for (var i = 0; i < row.Length; i++)
                {
                    var rankShare = rowLength == 1 ? 0.5 : (double)ranks[i] / (rowLength - 1);
                    var keepProbability = density - epsilon + (2 * epsilon * rankShare);
                    if (random.NextDouble() < keepProbability)
                    {
                        kept++;
                    }
                    else
                    {
                        row[i] = 0f;
                    }
                }
            }

            return kept;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(ranks);
        }
    }

    // Ascending rank of each element (0 = smallest magnitude). The key packs the magnitude above the reversed index,
    // so equal magnitudes sort with the lower index last, i.e. ranked larger, and every key is unique.
    private static void RankByMagnitude(ReadOnlySpan<float> row, Span<ulong> keys, Span<int> ranks)
    {
        var last = (uint)(row.Length - 1);
        for (var i = 0; i < row.Length; i++)
        {
            keys[i] = ((ulong)MagnitudeRanking.Key(row[i]) << 32) | (last - (uint)i);
        }

        keys.Sort();
        for (var position = 0; position < keys.Length; position++)
        {
            var index = (int)(last - (uint)keys[position]);
            ranks[index] = position;
        }
    }
}
