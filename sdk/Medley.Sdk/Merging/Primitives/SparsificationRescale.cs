namespace Medley.Sdk.Merging.Primitives;

/// <summary>How a sparsified task vector is scaled back up to make up for the values it lost.</summary>
public enum SparsificationRescale
{
    /// <summary>No rescaling.</summary>
    None,

    /// <summary>
    /// Multiply by <c>‖δ‖₁ / ‖δ⊙mask‖₁</c> so that the L1 norm is what it was before sparsification (what mergekit does
    /// when <c>rescale</c> is true). Skipped when either norm is below 1e-7.
    /// </summary>
    L1Norm,

    /// <summary>Multiply by exactly <c>1 / density</c>, as in the DARE paper, MergeLM and FusionBench.</summary>
    InverseDensity,
}
