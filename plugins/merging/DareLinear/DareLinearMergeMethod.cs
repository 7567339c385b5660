using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.DareLinear;

/// <summary>DARE-linear: randomly drops task-vector entries, rescales the rest and adds the weighted task vectors to the base. Matches mergekit's <c>dare_linear</c>.</summary>
[MedleyStrategy("dare_linear")]
public sealed class DareLinearMergeMethod : IStreamingMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "dare_linear",
        ConsensusMethod.None,
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
