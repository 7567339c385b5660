namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// DARE "drop": keeps each element independently with probability <c>density</c> and zeroes the rest. Pair it with
/// <see cref="SparsificationRescaling"/> to rescale what is kept.
/// </summary>
/// <remarks>
/// One uniform draw per element, in index order, from the caller's <see cref="DeterministicRandom"/>: the same seed
/// gives a bit-identical mask on every machine and thread count. mergekit draws from torch's generator, so masks
/// differ from mergekit's while following the same distribution.
/// </remarks>
public static class RandomSparsifier
{
    /// <summary>Zeroes a random share of the elements, in place.</summary>
    /// <param name="delta">The task vector.</param>
    /// <param name="density">Probability of keeping each element, in [0, 1]; 1 or more leaves the vector untouched and draws nothing.</param>
    /// <param name="random">The random stream (one per task vector, so that vectors get independent masks).</param>
    /// <returns>The number of elements kept.</returns>
    public static int Sparsify(Span<float> delta, double density, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (density >= 1)
        {
            return delta.Length;
        }

        var kept = 0;
        for (var i = 0; i < delta.Length; i++)
        {
            if (random.NextDouble() < density)
            {
                kept++;
            }
            else
            {
                delta[i] = 0f;
            }
        }

        return kept;
    }
}
