using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.DellaLinear;

/// <summary>DELLA-linear: drops task-vector entries with a probability that falls with their magnitude rank, rescales, and adds the weighted task vectors to the base. Matches mergekit's <c>della_linear</c>.</summary>
[MedleyStrategy("della_linear")]
public sealed class DellaLinearMergeMethod : IMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "della_linear",
        ConsensusMethod.None,
        SparsificationMethod.DellaMagPrune,
        defaultNormalize: false,
        defaultRescale: true);

    /// <inheritdoc />
    public MergeMethodTraits Traits => _method.Traits;

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters) =>
        _method.ValidateParameters(globalParameters, modelParameters);

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken) =>
        _method.MergeTensor(context, cancellationToken);
}
