using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.DareTies;

/// <summary>DARE-TIES: randomly drops task-vector entries, rescales the rest and merges them with TIES sign consensus. Matches mergekit's <c>dare_ties</c>.</summary>
[MedleyStrategy("dare_ties")]
public sealed class DareTiesMergeMethod : IStreamingMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "dare_ties",
        ConsensusMethod.Sum,
        SparsificationMethod.Random,
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

    /// <inheritdoc />
    public void MergeTensorStreaming(StreamingMergeContext context, CancellationToken cancellationToken) =>
        _method.MergeTensorStreaming(context, cancellationToken);
}
