namespace Medley.Sdk.Merging.Primitives;

/// <summary>How the task vectors of a generalized task-arithmetic merge settle disagreements in sign.</summary>
public enum ConsensusMethod
{
    /// <summary>Every task vector contributes everywhere (task arithmetic, DARE-linear, breadcrumbs).</summary>
    None,

    /// <summary>
    /// TIES sign election: per element the sign of the weighted sum <c>Σ wᵢ·δᵢ</c> wins (zero counts as
    /// positive) and only the task vectors whose weighted value has that sign contribute.
    /// </summary>
    Sum,
}
