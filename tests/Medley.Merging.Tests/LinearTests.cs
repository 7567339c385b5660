using CsCheck;
using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class LinearTests
{
    private static readonly IMergeMethod Linear = Methods.Get("linear");

    [Fact]
    public void Weighted_average_of_two_models()
    {
        // (1·1 + 3·3)/4 = 2.5, (1·2 + 3·6)/4 = 5, (1·3 + 3·(−1))/4 = 0
        var result = MergeRunner.Run(Linear, null, [[1, 2, 3], [3, 6, -1]], MergeRunner.Weights(1, 3));
        Assert.Equal([2.5f, 5f, 0f], result);
    }

    [Fact]
    public void Without_normalize_is_the_plain_weighted_sum()
    {
        var result = MergeRunner.Run(Linear, null, [[1, 2, 3], [3, 6, -1]], MergeRunner.Weights(1, 3), MergeRunner.P(("normalize", false)));
        Assert.Equal([10f, 20f, 0f], result);
    }

    [Fact]
    public void Uses_no_base_and_needs_a_weight_per_model()
    {
        Assert.Equal(BaseModelUse.None, Linear.Traits.BaseModel);
        Assert.Equal(["weight"], Linear.Traits.PerModelParameters);
        Assert.False(Linear.Traits.IsRandomized);
    }

    [Fact]
    public void Weights_summing_to_zero_are_reported_before_and_during_the_merge()
    {
        var globals = StrategyParameters.Empty;
        var problems = Linear.ValidateParameters(globals, [StrategyParameters.FromJson("""{"weight":1}"""), StrategyParameters.FromJson("""{"weight":-1}""")]);
        Assert.Contains(problems, p => p.Contains("sum to 0", StringComparison.Ordinal));
        var ex = Assert.Throws<MedleyException>(() => MergeRunner.Run(Linear, null, [[1], [2]], MergeRunner.Weights(1, -1)));
        Assert.Equal("merge.weights.zero_sum", ex.Code);
        Assert.Contains("model.layers.0.mlp.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_weight_is_reported_with_the_model()
    {
        var problems = Linear.ValidateParameters(StrategyParameters.Empty, [StrategyParameters.FromJson("""{"weight":1}"""), StrategyParameters.Empty]);
        Assert.Equal(["model 2 of 2: merge method 'linear' needs a per-model 'weight' (a number), but none was given."], problems);
    }

    [Fact]
    public void Linear_of_one_model_is_the_identity()
    {
        Gen.Select(Gen.Float[-1000f, 1000f].Array[1, 64], Gen.Float[0.01f, 100f])
            .Sample((values, weight) =>
            {
                var result = MergeRunner.Run(Linear, null, [values], MergeRunner.Weights(weight));
                Tolerance.AssertClose(values.Select(v => (double)v).ToArray(), result, 1e-6);
            }, iter: 200);
    }
}
