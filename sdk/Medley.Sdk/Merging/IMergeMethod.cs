namespace Medley.Sdk.Merging;

/// <summary>
/// A merge method: combines the same-named tensor of several checkpoints into one. The host resolves
/// parameters, converts dtypes, streams tensors, runs tensors in parallel and writes shards; the method
/// only computes. Implementations must be thread-safe: the host calls <see cref="MergeTensor"/> for
/// different tensors at once.
/// </summary>
public interface IMergeMethod : IMedleyStrategy
{
    /// <summary>What the host needs to plan a merge with this method.</summary>
    MergeMethodTraits Traits { get; }

    /// <summary>
    /// Checks parameters resolved for one tensor, before any tensor data is read, for rules a JSON Schema
    /// cannot express (e.g. DELLA's <c>0 &lt; density ± epsilon &lt; 1</c>). Returns one message per problem.
    /// </summary>
    /// <param name="globalParameters">Global parameters for the tensor.</param>
    /// <param name="modelParameters">Per-model parameters for the tensor, in config order.</param>
    /// <returns>Problems found; empty when the parameters are fine.</returns>
    IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters) => [];

    /// <summary>Merges one tensor, writing every element of <see cref="MergeTensorContext.Output"/>.</summary>
    /// <param name="context">Inputs, parameters and output.</param>
    /// <param name="cancellationToken">Cancels long tensors.</param>
    void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken);
}
