namespace Medley.Sdk.Decoding;

/// <summary>
/// The host's sampler, bound to one request's <see cref="SamplingOptions"/> and seeded generator.
/// Strategies that own their loop use it so that every strategy samples the same way.
/// </summary>
public interface ITokenSampler
{
    /// <summary>The options this sampler applies.</summary>
    SamplingOptions Options { get; }

    /// <summary>
    /// Turns scores (logits or log-probabilities) into the distribution the options define: repetition
    /// penalty over <paramref name="history"/>, temperature, top-k, top-p, min-p, then normalisation.
    /// Greedy options give a one-hot distribution on the arg-max (lowest id on ties).
    /// </summary>
    /// <param name="scores">One score per token; <see cref="float.NegativeInfinity"/> excludes a token.</param>
    /// <param name="history">Tokens already in the sequence (for the repetition penalty).</param>
    /// <param name="probabilities">Receives the distribution; same length as <paramref name="scores"/>.</param>
    void ComputeDistribution(ReadOnlySpan<float> scores, IReadOnlyList<int> history, Span<float> probabilities);

    /// <summary>Draws a token from a distribution (which need not be normalised; zeros are never drawn).</summary>
    /// <param name="probabilities">Non-negative weights.</param>
    /// <returns>The token id.</returns>
    int Sample(ReadOnlySpan<float> probabilities);

    /// <summary>Shorthand for <see cref="ComputeDistribution"/> then <see cref="Sample"/>.</summary>
    /// <param name="scores">One score per token.</param>
    /// <param name="history">Tokens already in the sequence.</param>
    /// <returns>The token id.</returns>
    int Next(ReadOnlySpan<float> scores, IReadOnlyList<int> history);

    /// <summary>A uniform number in [0, 1) from the same seeded stream (for accept/reject decisions).</summary>
    /// <returns>The number.</returns>
    double NextUniform();
}
