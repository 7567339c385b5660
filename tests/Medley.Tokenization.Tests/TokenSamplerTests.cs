using Medley.Host.Sampling;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Tokenization.Tests;

public sealed class TokenSamplerTests
{
    private static float[] Distribution(SamplingOptions options, float[] logits, params int[] history)
    {
        var probabilities = new float[logits.Length];
        new TokenSampler(options).ComputeDistribution(logits, history, probabilities);
        return probabilities;
    }

    private static double[] Softmax(params double[] logits)
    {
        var max = logits.Max();
        var exps = logits.Select(x => Math.Exp(x - max)).ToArray();
        var sum = exps.Sum();
        return [.. exps.Select(e => e / sum)];
    }

    private static float[] LogitsOf(params double[] probabilities) => [.. probabilities.Select(p => (float)Math.Log(p))];

    private static int[] Support(float[] probabilities) => [.. Enumerable.Range(0, probabilities.Length).Where(i => probabilities[i] > 0)];

    [Fact]
    public void Plain_sampling_is_the_softmax()
    {
        var probabilities = Distribution(new SamplingOptions { Seed = 1 }, [0f, 1f, 2f]);

        var expected = Softmax(0, 1, 2);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], probabilities[i], 6);
        }

        Assert.Equal(0.6652409557748219, probabilities[2], 6);
    }

    [Fact]
    public void Temperature_divides_the_logits()
    {
        var probabilities = Distribution(new SamplingOptions { Seed = 1, Temperature = 0.5 }, [0f, 1f, 2f]);

        var expected = Softmax(0, 2, 4);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], probabilities[i], 6);
        }
    }

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_logits_once_per_token()
    {
        // History repeats token 1: it is still penalised once. Token 3 is untouched.
        // [2, -1, 0.5, 3] with penalty 2 on {0, 1} -> [1, -2, 0.5, 3].
        var probabilities = Distribution(new SamplingOptions { Seed = 1, RepetitionPenalty = 2 }, [2f, -1f, 0.5f, 3f], 0, 1, 1);

        var expected = Softmax(1, -2, 0.5, 3);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], probabilities[i], 6);
        }
    }

    [Fact]
    public void Repetition_penalty_applies_before_greedy_choice()
    {
        // 3 / 2 = 1.5 falls below 2.5.
        var probabilities = Distribution(new SamplingOptions { Temperature = 0, RepetitionPenalty = 2 }, [3f, 2.5f], 0);

        Assert.Equal([0f, 1f], probabilities);
    }

    [Fact]
    public void Greedy_is_one_hot_on_the_lowest_id_among_ties()
    {
        var sampler = new TokenSampler(new SamplingOptions { Temperature = 0 });
        var probabilities = new float[4];
        sampler.ComputeDistribution([1f, 5f, 5f, float.NegativeInfinity], [], probabilities);

        Assert.Equal([0f, 1f, 0f, 0f], probabilities);
        Assert.Equal(1, sampler.Next([1f, 5f, 5f, 2f], []));
    }

    [Fact]
    public void Top_k_keeps_exactly_k_breaking_ties_by_lower_id()
    {
        float[] logits = [2f, 2f, 2f, 1f];

        var two = Distribution(new SamplingOptions { Seed = 1, TopK = 2 }, logits);
        Assert.Equal([0, 1], Support(two));
        Assert.Equal(0.5f, two[0], 6);

        var three = Distribution(new SamplingOptions { Seed = 1, TopK = 3 }, [1f, 3f, 3f, 2f, 0f]);
        Assert.Equal([1, 2, 3], Support(three));
        var expected = Softmax(3, 3, 2);
        Assert.Equal(expected[2], three[3], 6);

        Assert.Equal([0, 1, 2, 3], Support(Distribution(new SamplingOptions { Seed = 1, TopK = 10 }, logits)));
    }

    [Theory]
    [InlineData(0.1, new[] { 0 })]
    [InlineData(0.5, new[] { 0 })]
    [InlineData(0.8, new[] { 0, 1 })]
    [InlineData(0.81, new[] { 0, 1, 2 })]
    [InlineData(0.96, new[] { 0, 1, 2, 3 })]
    [InlineData(1.0, new[] { 0, 1, 2, 3 })]
    public void Top_p_keeps_the_smallest_prefix_reaching_p(double topP, int[] expected)
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05 placed out of id order to show the sort.
        float[] logits = LogitsOf(0.3, 0.05, 0.5, 0.15);
        int[] byRank = [2, 0, 3, 1];
        var probabilities = Distribution(new SamplingOptions { Seed = 1, TopP = topP }, logits);

        var kept = expected.Select(rank => byRank[rank]).Order().ToArray();
        Assert.Equal(kept, Support(probabilities));
        Assert.Equal(1.0, probabilities.Sum(p => (double)p), 6);
    }

    [Fact]
    public void Top_p_renormalises_the_kept_tokens()
    {
        var probabilities = Distribution(new SamplingOptions { Seed = 1, TopP = 0.8 }, LogitsOf(0.5, 0.3, 0.15, 0.05));

        Assert.Equal(0.625, probabilities[0], 6);
        Assert.Equal(0.375, probabilities[1], 6);
    }

    [Theory]
    [InlineData(0.0, new[] { 0, 1, 2, 3 })]
    [InlineData(0.09, new[] { 0, 1, 2, 3 })]
    [InlineData(0.25, new[] { 0, 1, 2 })]
    [InlineData(0.35, new[] { 0, 1 })]
    [InlineData(0.7, new[] { 0 })]
    [InlineData(1.0, new[] { 0 })]
    public void Min_p_drops_tokens_below_a_share_of_the_top_probability(double minP, int[] expected)
    {
        // Top probability 0.5: thresholds 0.045, 0.125, 0.175, 0.35, 0.5.
        var probabilities = Distribution(new SamplingOptions { Seed = 1, MinP = minP }, LogitsOf(0.5, 0.3, 0.15, 0.05));

        Assert.Equal(expected, Support(probabilities));
    }

    [Fact]
    public void Top_k_then_top_p_then_min_p_compose_on_renormalised_distributions()
    {
        // Top-k 3 keeps 0.5, 0.3, 0.15 -> renormalised 0.5/0.95 = 0.526, 0.316, 0.158; top-p 0.8 needs the second (0.842).
        // Min-p 0.65 then drops 0.316 < 0.65 * 0.526 = 0.342, leaving the top token alone.
        var twoLeft = Distribution(new SamplingOptions { Seed = 1, TopK = 3, TopP = 0.8 }, LogitsOf(0.5, 0.3, 0.15, 0.05));
        Assert.Equal([0, 1], Support(twoLeft));

        var oneLeft = Distribution(new SamplingOptions { Seed = 1, TopK = 3, TopP = 0.8, MinP = 0.65 }, LogitsOf(0.5, 0.3, 0.15, 0.05));
        Assert.Equal([0], Support(oneLeft));
        Assert.Equal(1f, oneLeft[0]);
    }

    [Fact]
    public void Excluded_tokens_get_zero_and_all_excluded_is_an_error()
    {
        var probabilities = Distribution(new SamplingOptions { Seed = 1 }, [float.NegativeInfinity, 0f, 0f]);
        Assert.Equal([0f, 0.5f, 0.5f], probabilities);

        var error = Assert.Throws<MedleyException>(() => Distribution(new SamplingOptions { Seed = 1 }, [float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Equal(SamplingErrorCodes.NoCandidates, error.Code);
    }

    [Fact]
    public void Sample_uses_one_uniform_from_the_seeded_stream_by_inverse_cdf()
    {
        float[] weights = [0.2f, 0f, 0.5f, 0.3f];
        for (ulong seed = 0; seed < 50; seed++)
        {
            var stream = new DeterministicRandom(seed);
            var u = stream.NextDouble() * weights.Sum(w => (double)w);
            var expected = u < 0.2 ? 0 : u < 0.7 ? 2 : 3;
            var sampler = new TokenSampler(new SamplingOptions { Seed = seed });

            Assert.Equal(expected, sampler.Sample(weights));
            Assert.Equal(stream.NextDouble(), sampler.NextUniform());
        }
    }

    [Fact]
    public void Zero_weights_are_never_drawn()
    {
        var sampler = new TokenSampler(new SamplingOptions { Seed = 3 });
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(1, sampler.Sample([0f, 2f, 0f]));
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_tokens_and_another_seed_does_not()
    {
        static int[] Run(ulong seed)
        {
            var sampler = new TokenSampler(new SamplingOptions { Seed = seed, TopK = 20, TopP = 0.95, MinP = 0.01, RepetitionPenalty = 1.1, Temperature = 0.9 });
            var logits = new DeterministicRandom(99);
            var tokens = new List<int>();
            for (var step = 0; step < 200; step++)
            {
                var scores = new float[64];
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] = (float)(logits.NextDouble() * 6 - 3);
                }

                tokens.Add(sampler.Next(scores, tokens));
            }

            return [.. tokens];
        }

        Assert.Equal(Run(42), Run(42));
        Assert.NotEqual(Run(42), Run(43));
    }

    [Fact]
    public void Unseeded_samplers_draw_and_report_a_seed()
    {
        var first = new TokenSampler(new SamplingOptions());
        var replay = new TokenSampler(new SamplingOptions { Seed = first.Seed });

        Assert.Equal(first.NextUniform(), replay.NextUniform());
        Assert.Equal(7UL, new TokenSampler(new SamplingOptions { Seed = 7 }).Seed);
    }

    [Fact]
    public void Twenty_thousand_draws_match_the_softmax_by_chi_square()
    {
        double[] logits = [0, 1, 2, 0.5, -1];
        var expected = Softmax(logits);
        var sampler = new TokenSampler(new SamplingOptions { Seed = 2024 });
        var counts = new int[logits.Length];
        const int draws = 20_000;
        float[] scores = [.. logits.Select(x => (float)x)];
        for (var i = 0; i < draws; i++)
        {
            counts[sampler.Next(scores, [])]++;
        }

        var chiSquare = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = expected[i] * draws;
            chiSquare += (counts[i] - e) * (counts[i] - e) / e;
        }

        // 4 degrees of freedom: 18.47 is the 0.999 quantile.
        Assert.True(chiSquare < 18.47, $"chi-square {chiSquare:F2} for counts [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void Draws_follow_the_truncated_distribution()
    {
        // Top-k 2 of softmax([0, 1, 2]): only ids 1 and 2, in ratio 1 : e.
        var sampler = new TokenSampler(new SamplingOptions { Seed = 11, TopK = 2 });
        var counts = new int[3];
        for (var i = 0; i < 20_000; i++)
        {
            counts[sampler.Next([0f, 1f, 2f], [])]++;
        }

        Assert.Equal(0, counts[0]);
        var expectedTwo = Math.E / (1 + Math.E) * 20_000;
        var sd = Math.Sqrt(20_000 * 0.731 * 0.269);
        Assert.InRange(counts[2], expectedTwo - 4 * sd, expectedTwo + 4 * sd);
    }

    [Theory]
    [InlineData(-0.1, 0, 1.0, 0.0, 1.0, "temperature")]
    [InlineData(1.0, -1, 1.0, 0.0, 1.0, "top_k")]
    [InlineData(1.0, 0, 0.0, 0.0, 1.0, "top_p")]
    [InlineData(1.0, 0, 1.5, 0.0, 1.0, "top_p")]
    [InlineData(1.0, 0, 1.0, -0.1, 1.0, "min_p")]
    [InlineData(1.0, 0, 1.0, 0.0, 0.0, "repetition_penalty")]
    public void Invalid_options_are_rejected_naming_the_option(double temperature, int topK, double topP, double minP, double penalty, string name)
    {
        var options = new SamplingOptions { Temperature = temperature, TopK = topK, TopP = topP, MinP = minP, RepetitionPenalty = penalty };

        var error = Assert.Throws<MedleyException>(() => new TokenSampler(options));
        Assert.Equal(SamplingErrorCodes.OptionsInvalid, error.Code);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Details);
    }
}
