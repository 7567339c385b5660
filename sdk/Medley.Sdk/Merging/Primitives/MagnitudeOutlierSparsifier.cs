namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// Model breadcrumbs: drops the largest-magnitude outliers and the smallest magnitudes of a tensor, keeping
/// <c>floor(density·n)</c> elements in between.
/// </summary>
/// <remarks>
/// <para>
/// With <c>n_top = floor(gamma·n)</c> and <c>n_bot = n − floor(density·n) − n_top</c> (when <c>n_bot &lt; 0</c>,
/// <c>n_top += n_bot</c> and <c>n_bot = 0</c>), the elements sorted by ascending magnitude keep positions
/// <c>[n_bot, n − n_top)</c>. Ties are ordered as in <see cref="MagnitudeSparsifier"/>: among equal magnitudes the
/// lower index counts as larger.
/// </para>
/// <para>
/// Fix relative to mergekit: mergekit keeps <c>indices[n_bot:-n_top]</c>, which is empty when <c>n_top = 0</c>
/// (<c>gamma = 0</c>, a small tensor, or a density high enough to cancel the outlier cut), so it drops the whole
/// task vector. Here <c>n_top = 0</c> keeps <c>[n_bot, n)</c>: the top-density elements, as the method intends.
/// </para>
/// </remarks>
public static class MagnitudeOutlierSparsifier
{
    /// <summary>Zeroes the outliers and the smallest magnitudes, in place.</summary>
    /// <param name="delta">The task vector.</param>
    /// <param name="density">Share of elements to keep, in [0, 1]; 1 or more leaves the vector untouched.</param>
    /// <param name="gamma">Share of largest magnitudes to drop as outliers, in [0, 1].</param>
    /// <returns>The number of elements kept.</returns>
    public static int Sparsify(Span<float> delta, double density, double gamma)
    {
        if (density >= 1)
        {
            return delta.Length;
        }

        var (dropTop, dropBottom) = Cuts(delta.Length, density, gamma);
        var keepUpTo = MagnitudeRanking.Top(delta, delta.Length - dropBottom);
        var outliers = MagnitudeRanking.Top(delta, dropTop);
        var kept = 0;
        for (var i = 0; i < delta.Length; i++)
        {
            // Both rankings must see every element in order, so evaluate both before deciding.
            var withinTarget = keepUpTo.Admits(delta[i]);
            var isOutlier = outliers.Admits(delta[i]);
            if (withinTarget && !isOutlier)
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

    /// <summary>How many of the largest and of the smallest magnitudes are dropped.</summary>
    /// <param name="count">Number of elements.</param>
    /// <param name="density">Share of elements to keep.</param>
    /// <param name="gamma">Share of largest magnitudes to drop.</param>
    /// <returns><c>n_top</c> and <c>n_bot</c> as mergekit computes them.</returns>
    public static (int DropTop, int DropBottom) Cuts(int count, double density, double gamma)
    {
        var target = MagnitudeSparsifier.KeptCount(count, density);
        var top = (int)Math.Clamp(Math.Floor(gamma * count), 0, count);
        var bottom = count - target - top;
        if (bottom < 0)
        {
            // Fewer outliers are cut so that the target density is still reached.
            top += bottom;
            bottom = 0;
        }

        return (top, bottom);
    }
}
