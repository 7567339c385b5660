namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// TIES "trim": keeps the <c>k = floor(density·n)</c> elements of largest magnitude of one tensor and zeroes the
/// rest. Among equal magnitudes the lower index is kept, so the result never depends on a sort's stability.
/// </summary>
/// <remarks>
/// mergekit trims each tensor on its own (the TIES paper and FusionBench trim over the whole model), and refuses
/// <c>k = 0</c>; here <c>k = 0</c> zeroes the task vector, which is what the density asks for, so that a small
/// tensor (a norm of 4 values at density 0.2) does not abort a whole merge. Linear time, no sort.
/// </remarks>
public static class MagnitudeSparsifier
{
    /// <summary>The number of elements kept out of <paramref name="count"/> at <paramref name="density"/>.</summary>
    /// <param name="count">Number of elements.</param>
    /// <param name="density">Share to keep.</param>
    /// <returns><c>floor(density·count)</c>, clamped to [0, count].</returns>
    public static int KeptCount(int count, double density) =>
        density >= 1 ? count : (int)Math.Clamp(Math.Floor(density * count), 0, count);

    /// <summary>Zeroes all but the largest-magnitude elements, in place.</summary>
    /// <param name="delta">The task vector.</param>
    /// <param name="density">Share of elements to keep, in [0, 1]; 1 or more leaves the vector untouched.</param>
    /// <returns>The number of elements kept.</returns>
    public static int Sparsify(Span<float> delta, double density)
    {
        var k = KeptCount(delta.Length, density);
        if (k == delta.Length)
        {
            return k;
        }

        var ranking = MagnitudeRanking.Top(delta, k);
        for (var i = 0; i < delta.Length; i++)
        {
            if (!ranking.Admits(delta[i]))
            {
                delta[i] = 0f;
            }
        }

        return k;
    }
}
