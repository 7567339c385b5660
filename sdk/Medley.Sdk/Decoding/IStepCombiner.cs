namespace Medley.Sdk.Decoding;

/// <summary>
/// A token-level strategy that needs only one step at a time (logit averaging, contrastive decoding,
/// proxy-tuning): the host owns the loop, feeds every member the chosen token and samples.
/// </summary>
public interface IStepCombiner : IMedleyStrategy
{
    /// <summary>Starts a request.</summary>
    /// <param name="context">Members, prompt and parameters.</param>
    /// <param name="cancellationToken">Cancels the start (e.g. prompt scoring).</param>
    /// <returns>The per-request state.</returns>
    ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken);
}
