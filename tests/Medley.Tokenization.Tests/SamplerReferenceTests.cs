using CsCheck;
using Medley.Host.Sampling;
using Medley.Sdk.Decoding;

namespace Medley.Tokenization.Tests;

/// <summary>Random logits and options against a plain reference: full sort, cut, renormalise.</summary>
public sealed class SamplerReferenceTests
{
    private static double[] Reference(float[] scores, int[] history, SamplingOptions options)
    {
        var logits = scores.Select(x => (double)x).ToArray();
        foreach (var id in history.Distinct())
        {
            logits[id] = logits[id] > 0 ? logits[id] / options.RepetitionPenalty : logits[id] * options.RepetitionPenalty;
        }

        var max = logits.Max();
        var p = logits.Select(x => Math.Exp((x - max) / options.Temperature)).ToArray();
        var order = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).ToList();
        if (options.TopK > 0)
        {
            order = [.. order.Take(options.TopK)];
        }

        var sum = order.Sum(i => p[i]);
        var cumulative = 0.0;
        var keep = options.TopP < 1 ? 0 : order.Count;
        while (keep < order.Count)
        {
            cumulative += p[order[keep++]] / sum;
            if (cumulative >= options.TopP - 1e-12)
            {
                break;
            }
        }

        order = [.. order.Take(keep)];
        var top = p[order[0]];
        order = [.. order.Where(i => p[i] >= options.MinP * top)];
        var total = order.Sum(i => p[i]);
        var result = new double[p.Length];
        foreach (var i in order)
        {
            result[i] = p[i] / total;
        }

        return result;
    }

    [Fact]
    public void Distribution_matches_the_reference_for_random_logits_and_options()
    {
        var gen =
            from size in Gen.Int[2, 300]
            from scores in Gen.Float[-8f, 8f].Array[size]
            from history in Gen.Int[0, size - 1].Array[0, 10]
            from topK in Gen.Int[0, size + 2]
            from topP in Gen.Double[0.05, 1.0]
            from minP in Gen.Double[0.0, 0.5]
            from temperature in Gen.Double[0.2, 2.0]
            from penalty in Gen.Double[0.5, 2.0]
            select (scores, history, new SamplingOptions { Seed = 1, TopK = topK, TopP = topP, MinP = minP, Temperature = temperature, RepetitionPenalty = penalty });

        gen.Sample(item =>
        {
            var (scores, history, options) = item;
            var expected = Reference(scores, history, options);
            var actual = new float[scores.Length];
            new TokenSampler(options).ComputeDistribution(scores, history, actual);
            for (var i = 0; i < scores.Length; i++)
            {
                Assert.True((actual[i] > 0) == (expected[i] > 0), $"support differs at {i}: {actual[i]} vs {expected[i]}; {options}; kept {actual.Count(x => x > 0)} vs {expected.Count(x => x > 0)}");
                Assert.InRange(actual[i] - expected[i], -1e-6, 1e-6);
            }
        }, iter: 300);
    }
}
