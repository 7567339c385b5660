using CsCheck;
using Medley.Host.Hosting;
using Medley.Host.Plugins;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Running.Tests;

/// <summary>The logit-average plugin, loaded as the host loads it, against reference computations in double precision.</summary>
public sealed class LogitAverageTests : IDisposable
{
    private readonly PluginCatalog _catalog = new(new MedleyOptions { UseDefaultPluginLocations = false, PluginDirectories = { Cli.PluginFolder } });

    public void Dispose() => _catalog.Dispose();

    [Fact]
    public void The_plugin_is_a_step_strategy_with_one_multiple_member_role()
    {
        var descriptor = _catalog.GetStrategy("logit-average");
        Assert.Equal(StrategyKind.Step, descriptor.Kind);
        var role = Assert.Single(descriptor.Roles);
        Assert.Equal(("member", true, true), (role.Name, role.Required, role.Multiple));
    }

    [Theory]
    [InlineData("mixture")]
    [InlineData("product")]
    public async Task Two_members_with_weights_1_and_3_give_the_hand_computed_distribution(string mode)
    {
        // p₁ = (1/2, 1/2) and p₂ = (1/4, 3/4); normalised weights 1/4 and 3/4.
        var scores = await CombineAsync(mode, [[0f, 0f], [0f, (float)Math.Log(3)]], [1, 3]);

        double[] expected = mode == "mixture"
            ? [0.25 * 0.5 + 0.75 * 0.25, 0.25 * 0.5 + 0.75 * 0.75] // 0.3125, 0.6875
            : [1 / (1 + Math.Pow(3, 0.75)), Math.Pow(3, 0.75) / (1 + Math.Pow(3, 0.75))]; // p ∝ ½^¼·¼^¾ and ½^¼·¾^¾
        Assert.Equal(expected[0], Math.Exp(scores[0]), 6);
        Assert.Equal(expected[1], Math.Exp(scores[1]), 6);
    }

    [Theory]
    [InlineData("mixture")]
    [InlineData("product")]
    public void Random_members_and_weights_match_the_reference(string mode)
    {
        var gen = Gen.Float[-8f, 8f].Array[7].Array[1, 4].SelectMany(rows => Gen.Double[0.05, 4].Array[rows.Length].Select(weights => (rows, weights)));
        gen.Sample(
            sample =>
            {
                var actual = CombineAsync(mode, sample.rows, sample.weights).AsTask().GetAwaiter().GetResult();
                var expected = Reference(mode, sample.rows, sample.weights);
                for (var v = 0; v < expected.Length; v++)
                {
                    if (Math.Abs(actual[v] - expected[v]) > 1e-4)
                    {
                        return false;
                    }
                }

                return true;
            },
            iter: 200,
            seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public async Task Packllm_weights_follow_each_members_likelihood_of_the_prompt()
    {
        // Prompt [0, 1]: member a gives token 1 probability 1/2 (NLL ln 2), member b 3/4 (NLL ln 4/3).
        // τ = 1: w ∝ (1/2, 3/4) = (0.4, 0.6). τ = 1/2: w ∝ (1/4, 9/16) = (4/13, 9/13).
        var a = new FakeModel("a", [[0f, 0f], [0f, 0f]]);
        var b = new FakeModel("b", [[0f, (float)Math.Log(3)], [0f, 0f]]);
        foreach (var (tau, weightA) in new[] { (1.0, 0.4), (0.5, 4.0 / 13) })
        {
            var counters = new StrategyCounters();
            var context = new StepCombinerContext(
                [Member(a, 1), Member(b, 1)], [0, 1], Parameters($$"""{"weighting": "packllm", "tau": {{tau}}}"""), counters, NullLogger.Instance);
            using var combination = await Combiner.BeginAsync(context, CancellationToken.None);

            Assert.Equal(Math.Log(2), counters.Get("nll.a"), 6);
            Assert.Equal(Math.Log(4.0 / 3), counters.Get("nll.b"), 6);
            Assert.Equal(weightA, counters.Get("weight.a"), 6);
            Assert.Equal(1 - weightA, counters.Get("weight.b"), 6);
        }
    }

    [Fact]
    public async Task Zero_weights_everywhere_are_refused()
    {
        var model = new FakeModel("a", [[0f, 0f]]);
        var context = new StepCombinerContext([Member(model, 0), Member(model, 0)], [0], StrategyParameters.Empty, new StrategyCounters(), NullLogger.Instance);
        var error = await Assert.ThrowsAsync<MedleyException>(async () => await Combiner.BeginAsync(context, CancellationToken.None));
        Assert.Equal("logit-average.weights.zero", error.Code);
    }

    private IStepCombiner Combiner => _catalog.Resolve<IStepCombiner>("logit-average");

    private async ValueTask<float[]> CombineAsync(string mode, float[][] rows, double[] weights)
    {
        var members = rows.Select((row, i) => Member(new FakeModel($"m{i}", [row]), weights[i])).ToList();
        var context = new StepCombinerContext(members, [0], Parameters($$"""{"mode": "{{mode}}"}"""), new StrategyCounters(), NullLogger.Instance);
        using var combination = await Combiner.BeginAsync(context, CancellationToken.None);
        var scores = new float[rows[0].Length];
        combination.Combine(new StepInput(0, [], rows.Select(r => (ReadOnlyMemory<float>)r).ToList()), scores);
        return scores;
    }

    private static double[] Reference(string mode, float[][] rows, double[] weights)
    {
        var total = weights.Sum();
        var vocabulary = rows[0].Length;
        var logProbabilities = rows.Select(row =>
        {
            var sum = 0.0;
            for (var v = 0; v < vocabulary; v++)
            {
                sum += Math.Exp(row[v]);
            }

            return row.Select(z => z - Math.Log(sum)).ToArray();
        }).ToArray();
        var result = new double[vocabulary];
        for (var v = 0; v < vocabulary; v++)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                result[v] += mode == "mixture"
                    ? weights[i] / total * Math.Exp(logProbabilities[i][v])
                    : weights[i] / total * logProbabilities[i][v];
            }
        }

        if (mode == "mixture")
        {
            return result.Select(p => Math.Log(p)).ToArray();
        }

        var normaliser = Math.Log(result.Sum(s => Math.Exp(s)));
        return result.Select(s => s - normaliser).ToArray();
    }

    private static DecodingMember Member(FakeModel model, double weight) =>
        new("member", model.Info.Name, model, StrategyParameters.FromValues([new("weight", weight)]));

    private static StrategyParameters Parameters(string json) => StrategyParameters.FromJson(json);
}
