using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Della;

/// <summary>DELLA: drops task-vector entries with a probability that falls with their magnitude rank, rescales, and merges with TIES sign consensus. Matches mergekit's <c>della</c>.</summary>
[MedleyStrategy("della")]
public sealed class DellaMergeMethod : IMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "della",
        ConsensusMethod.Sum,
        SparsificationMethod.DellaMagPrune,
        defaultNormalize: true,
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
