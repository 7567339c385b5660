using Medley.Sdk.Decoding;

namespace Company.Plugin.Tests;

/// <summary>The host's sampler reduced to what greedy decoding needs: options and arg-max choices.</summary>
internal sealed class GreedySampler(SamplingOptions options) : ITokenSampler
{
    private readonly Random _random = new(1234);

    public SamplingOptions Options => options;

    public void ComputeDistribution(ReadOnlySpan<float> scores, IReadOnlyList<int> history, Span<float> probabilities)
    {
        probabilities.Clear();
        probabilities[ArgMax(scores)] = 1;
    }

    public int Sample(ReadOnlySpan<float> probabilities) => ArgMax(probabilities);

    public int Next(ReadOnlySpan<float> scores, IReadOnlyList<int> history) => ArgMax(scores);

    public double NextUniform() => _random.NextDouble();

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
