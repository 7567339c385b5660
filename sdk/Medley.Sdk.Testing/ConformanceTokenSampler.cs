using Medley.Sdk.Decoding;

namespace Medley.Sdk.Testing;

/// <summary>
/// A small, seeded sampler for conformance runs: greedy when the temperature is 0 or less, otherwise softmax after
/// temperature with optional top-k, drawn from <see cref="DeterministicRandom"/>. It ignores top-p, min-p and the
/// repetition penalty (the host's sampler applies them); a strategy's contract does not depend on them.
/// </summary>
public sealed class ConformanceTokenSampler : ITokenSampler
{
    private readonly DeterministicRandom _random;

    /// <summary>Creates a sampler.</summary>
    /// <param name="options">The sampling options; <see cref="SamplingOptions.Seed"/> picks the draws (0 when absent).</param>
    public ConformanceTokenSampler(SamplingOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _random = new DeterministicRandom(options.Seed ?? 0);
    }

    /// <inheritdoc/>
    public SamplingOptions Options { get; }

    /// <inheritdoc/>
    public void ComputeDistribution(ReadOnlySpan<float> scores, IReadOnlyList<int> history, Span<float> probabilities)
    {
        probabilities.Clear();
        var best = LogProbabilities.ArgMax(scores);
        if (best < 0)
        {
            throw new MedleyException("conformance.sampler.scores", "Every score is NaN; there is no token to choose.");
        }

        if (Options.IsGreedy || float.IsNegativeInfinity(scores[best]))
        {
            probabilities[best] = 1;
            return;
        }

        var cutoff = float.NegativeInfinity;
        if (Options.TopK > 0 && Options.TopK < scores.Length)
        {
            var sorted = scores.ToArray();
            Array.Sort(sorted, (a, b) => b.CompareTo(a));
            cutoff = sorted[Options.TopK - 1];
        }

        var total = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]) || scores[i] < cutoff)
            {
                continue;
            }

            var weight = Math.Exp((scores[i] - scores[best]) / Options.Temperature);
            probabilities[i] = (float)weight;
            total += weight;
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = (float)(probabilities[i] / total);
        }
    }

    /// <inheritdoc/>
    public int Sample(ReadOnlySpan<float> probabilities)
    {
        var draw = _random.NextDouble();
        var cumulative = 0.0;
        var last = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0)
            {
                continue;
            }

            last = i;
            cumulative += probabilities[i];
            if (draw < cumulative)
            {
                return i;
            }
        }

        // Rounding can leave the cumulative sum just under the draw: the last possible token takes the remainder.
        return last >= 0 ? last : throw new MedleyException("conformance.sampler.distribution", "The distribution has no token with positive probability.");
    }

    /// <inheritdoc/>
    public int Next(ReadOnlySpan<float> scores, IReadOnlyList<int> history)
    {
        var probabilities = new float[scores.Length];
        ComputeDistribution(scores, history, probabilities);
        return Sample(probabilities);
    }

    /// <inheritdoc/>
    public double NextUniform() => _random.NextDouble();
}
