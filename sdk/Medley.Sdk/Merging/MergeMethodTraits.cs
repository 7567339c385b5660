namespace Medley.Sdk.Merging;

/// <summary>What the host must know about a merge method before it plans a merge.</summary>
public sealed record MergeMethodTraits
{
    /// <summary>How the method uses <c>base_model</c>.</summary>
    public BaseModelUse BaseModel { get; init; } = BaseModelUse.None;

    /// <summary>The fewest non-base inputs the method accepts.</summary>
    public int MinModels { get; init; } = 1;

    /// <summary>The most non-base inputs the method accepts, or <see langword="null"/> for no limit.</summary>
    public int? MaxModels { get; init; }

    /// <summary>
    /// Parameter names given per input model (e.g. <c>weight</c>, <c>density</c>); every other parameter the
    /// schema declares is global. The host resolves both per tensor (gradients, filters, precedence).
    /// </summary>
    public IReadOnlyList<string> PerModelParameters { get; init; } = [];

    /// <summary>Whether the method draws random numbers (the host then documents and passes a seed).</summary>
    public bool IsRandomized { get; init; }

    /// <summary>
    /// Whether inputs whose shape differs from the base are merged on their common leading sub-block
    /// (mergekit does this for embedding matrices whose vocabularies differ); other mismatches are errors.
    /// </summary>
    public bool AllowsEmbeddingResize { get; init; } = true;
}
