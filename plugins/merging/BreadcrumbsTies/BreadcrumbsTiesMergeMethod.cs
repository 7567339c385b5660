using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.BreadcrumbsTies;

/// <summary>Model breadcrumbs with TIES sign consensus: drops outliers and small entries, elects a sign per entry and sums the agreeing task vectors. Matches mergekit's <c>breadcrumbs_ties</c>.</summary>
[MedleyStrategy("breadcrumbs_ties")]
public sealed class BreadcrumbsTiesMergeMethod : IMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "breadcrumbs_ties",
        ConsensusMethod.Sum,
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
