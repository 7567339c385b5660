using System.Numerics.Tensors;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// Scales a sparsified task vector back up so that dropping values does not shrink the merge (DARE, DELLA).
/// Take <see cref="L1Norm"/> of the task vector before sparsifying it, then call <see cref="Apply"/>.
/// </summary>
public static class SparsificationRescaling
{
    /// <summary>Below this L1 norm (before or after sparsification) <see cref="SparsificationRescale.L1Norm"/> leaves the values alone, as mergekit does.</summary>
    public const double L1NormEpsilon = 1e-7;

    /// <summary>The L1 norm <c>Σ|xᵢ|</c>, accumulated in double precision.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The norm.</returns>
    public static double L1Norm(ReadOnlySpan<float> values) => AccumulateL1Norm(0.0, values);

    /// <summary>Continues an <see cref="L1Norm"/> over the next part, in the same order, so parts sum bit-identically to the whole.</summary>
    internal static double AccumulateL1Norm(double sum, ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            sum += Math.Abs(value);
        }

        return sum;
    }

    /// <summary>
    /// The factor <see cref="Apply"/> multiplies by, or null when it leaves the values alone; computed the same way, so
    /// a vector scaled part by part equals one scaled whole.
    /// </summary>
    internal static float? Factor(double originalL1Norm, double sparsifiedL1Norm, double density, SparsificationRescale mode) => mode switch
    {
        SparsificationRescale.None => null,
        SparsificationRescale.L1Norm => originalL1Norm >= L1NormEpsilon && sparsifiedL1Norm >= L1NormEpsilon ? (float)(originalL1Norm / sparsifiedL1Norm) : null,
        SparsificationRescale.InverseDensity => density > 0 && density < 1 ? (float)(1.0 / density) : null,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rescale mode."),
    };

    /// <summary>Rescales a sparsified task vector in place.</summary>
    /// <param name="sparsified">The task vector after sparsification.</param>
    /// <param name="originalL1Norm">Its <see cref="L1Norm"/> before sparsification (used by <see cref="SparsificationRescale.L1Norm"/>).</param>
    /// <param name="density">The density the sparsifier targeted (used by <see cref="SparsificationRescale.InverseDensity"/>).</param>
    /// <param name="mode">Which rescaling to apply.</param>
    public static void Apply(Span<float> sparsified, double originalL1Norm, double density, SparsificationRescale mode)
    {
        switch (mode)
        {
            case SparsificationRescale.None:
                return;
            case SparsificationRescale.L1Norm:
                var after = L1Norm(sparsified);
                if (originalL1Norm >= L1NormEpsilon && after >= L1NormEpsilon)
                {
                    TensorPrimitives.Multiply(sparsified, (float)(originalL1Norm / after), sparsified);
                }

                return;
            case SparsificationRescale.InverseDensity:
                // Density 0 kept nothing, and density 1 or more dropped nothing: either way there is nothing to scale.
                if (density > 0 && density < 1)
                {
                    TensorPrimitives.Multiply(sparsified, (float)(1.0 / density), sparsified);
                }

                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rescale mode.");
        }
    }
}
