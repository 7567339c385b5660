namespace Medley.Sdk.Decoding;

/// <summary>A step combiner's state for one request.</summary>
public interface IStepCombination : IDisposable
{
    /// <summary>
    /// Combines the members' logits for one step into scores over the shared vocabulary. The host turns the
    /// scores into a distribution with its sampler (softmax after temperature, top-k, top-p, min-p), so
    /// scores are log-probabilities up to a constant; <see cref="float.NegativeInfinity"/> rules a token out.
    /// </summary>
    /// <param name="input">The step.</param>
    /// <param name="scores">Receives one score per token.</param>
    void Combine(StepInput input, Span<float> scores);
}
