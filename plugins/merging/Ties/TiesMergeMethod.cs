using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Ties;

/// <summary>TIES: trims each task vector to its largest-magnitude entries, elects a sign per entry and averages the agreeing task vectors. Matches mergekit's <c>ties</c>.</summary>
[MedleyStrategy("ties")]
public sealed class TiesMergeMethod : IStreamingMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "ties",
        ConsensusMethod.Sum,
        SparsificationMethod.Magnitude,
        defaultNormalize: true,
        defaultRescale: false);

    /// <inheritdoc />
    public MergeMethodTraits Traits => _method.Traits;

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters) =>
        _method.ValidateParameters(globalParameters, modelParameters);

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken) =>
        _method.MergeTensor(context, cancellationToken);

    /// <inheritdoc />
    public void MergeTensorStreaming(StreamingMergeContext context, CancellationToken cancellationToken) =>
        _method.MergeTensorStreaming(context, cancellationToken);
}
