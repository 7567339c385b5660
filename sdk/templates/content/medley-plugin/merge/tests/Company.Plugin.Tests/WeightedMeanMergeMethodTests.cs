using Medley.Sdk;
using Medley.Sdk.Testing;

namespace Company.Plugin.Tests;

public sealed class WeightedMeanMergeMethodTests
{
    private static StrategyParameters Weight(double weight) =>
        StrategyParameters.FromValues([new KeyValuePair<string, object?>("weight", weight)]);

    [Fact]
    public void Weighted_mean_of_two_models_matches_hand_computed_values()
    {
        // (1·[1, 2, 3] + 3·[5, 6, 7]) / 4 = [4, 5, 6]
        var merged = MergeMethodHarness.Run(
            new WeightedMeanMergeMethod(),
            [([1f, 2f, 3f], Weight(1)), ([5f, 6f, 7f], Weight(3))],
            baseModel: null);

        Assert.Equal([4f, 5f, 6f], merged);
    }

    [Fact]
    public void Models_without_a_weight_count_equally()
    {
        var merged = MergeMethodHarness.Run(
            new WeightedMeanMergeMethod(),
            [([2f, -4f], StrategyParameters.Empty), ([4f, 8f], StrategyParameters.Empty)],
            baseModel: null);

        Assert.Equal([3f, 2f], merged);
    }

    [Fact]
    public void Weights_that_sum_to_zero_are_reported()
    {
        var problems = new WeightedMeanMergeMethod().ValidateParameters(StrategyParameters.Empty, [Weight(0), Weight(0)]);

        Assert.Contains(problems, p => p.Contains("sum to 0", StringComparison.Ordinal));
    }
}
