using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Breadcrumbs;

/// <summary>Model breadcrumbs: drops both the largest outliers and the smallest entries of each task vector, then adds the weighted task vectors to the base. Matches mergekit's <c>breadcrumbs</c>.</summary>
[MedleyStrategy("breadcrumbs")]
public sealed class BreadcrumbsMergeMethod : IMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "breadcrumbs",
        ConsensusMethod.None,
        SparsificationMethod.MagnitudeOutliers,
        defaultNormalize: false,
        defaultRescale: false);

    /// <inheritdoc />
    public MergeMethodTraits Traits => _method.Traits;

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters) =>
        _method.ValidateParameters(globalParameters, modelParameters);

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken) =>
        _method.MergeTensor(context, cancellationToken);
}
