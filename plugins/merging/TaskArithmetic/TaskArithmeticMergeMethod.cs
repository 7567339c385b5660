using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.TaskArithmetic;

/// <summary>Task arithmetic: adds the weighted task vectors (model minus base) to the base. Matches mergekit's <c>task_arithmetic</c>.</summary>
[MedleyStrategy("task_arithmetic")]
public sealed class TaskArithmeticMergeMethod : IStreamingMergeMethod
{
    private readonly GeneralizedTaskArithmetic _method = new(
        "task_arithmetic",
        ConsensusMethod.None,
        SparsificationMethod.None,
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

    /// <inheritdoc />
    public void MergeTensorStreaming(StreamingMergeContext context, CancellationToken cancellationToken) =>
        _method.MergeTensorStreaming(context, cancellationToken);
}
