using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class DellaTests
{
    [Fact]
    public void Della_with_density_1_is_normalized_sign_consensus()
    {
        // δ1 = [1, −1], δ2 = [−3, 2], weights 1 and 3: weighted δ2 = [−9, 6], sums [−8, 5] elect [−, +];
        // only δ2 agrees at either element, so dividing by its weight gives −9/3 = −3 and 6/3 = 2.
        var result = MergeRunner.Run(Methods.Get("della"), [0, 0], [[1, -1], [-3, 2]], MergeRunner.Weights(1, 3));
        Assert.Equal([-3f, 2f], result);
    }

    [Fact]
    public void Della_linear_with_density_1_is_task_arithmetic()
    {
        var result = MergeRunner.Run(Methods.Get("della_linear"), [1, 1], [[2, 0], [3, 3]], MergeRunner.Weights(1, 0.5));
        Assert.Equal([3f, 1f], result);
    }

    [Theory]
    [InlineData(0.9, 0.15)]
    [InlineData(0.1, 0.1)]
    [InlineData(0.5, 0.5)]
    public void Epsilon_outside_the_della_bounds_is_reported(double density, double epsilon)
    {
        var problems = Methods.Get("della").ValidateParameters(
            StrategyParameters.Empty,
            [StrategyParameters.FromValues(MergeRunner.P(("weight", 1.0), ("density", density), ("epsilon", epsilon)))]);
        var problem = Assert.Single(problems);
        Assert.Contains("model 1 of 1", problem, StringComparison.Ordinal);
        Assert.Contains("density - epsilon", problem, StringComparison.Ordinal);

        var ex = Assert.Throws<MedleyException>(() => MergeRunner.Run(
            Methods.Get("della_linear"), [0, 0], [[1, 2]], [MergeRunner.P(("weight", 1.0), ("density", density), ("epsilon", epsilon))]));
        Assert.Equal("parameter.invalid", ex.Code);
        Assert.Contains("model 'model0'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_parameters_and_full_density_with_any_epsilon_pass_validation()
    {
        var method = Methods.Get("della");
        Assert.Empty(method.ValidateParameters(StrategyParameters.Empty, [StrategyParameters.FromValues(MergeRunner.P(("weight", 1.0), ("density", 0.5)))]));
        Assert.Empty(method.ValidateParameters(StrategyParameters.Empty, [StrategyParameters.FromValues(MergeRunner.P(("weight", 1.0), ("density", 1.0), ("epsilon", 0.3)))]));
    }

    [Fact]
    public void Missing_weight_is_reported_by_validation()
    {
        var problems = Methods.Get("della").ValidateParameters(StrategyParameters.Empty, [StrategyParameters.FromValues(MergeRunner.P(("density", 0.5)))]);
        Assert.Contains("'weight'", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Traits_declare_randomness_and_epsilon_per_model()
    {
        var traits = Methods.Get("della_linear").Traits;
        Assert.True(traits.IsRandomized);
        Assert.Equal(["weight", "density", "epsilon"], traits.PerModelParameters);
        Assert.Equal(BaseModelUse.Required, traits.BaseModel);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_output_and_a_different_seed_differs()
    {
        var random = new Random(5);
        var baseValues = Enumerable.Range(0, 64 * 64).Select(_ => (float)random.NextDouble()).ToArray();
        float[][] models = [baseValues.Select(b => b + (float)random.NextDouble() - 0.5f).ToArray()];
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.4)) };
        var first = MergeRunner.Run(Methods.Get("della"), baseValues, models, parameters, shape: [64, 64], seed: 1);
        Assert.Equal(first, MergeRunner.Run(Methods.Get("della"), baseValues, models, parameters, shape: [64, 64], seed: 1));
        Assert.NotEqual(first, MergeRunner.Run(Methods.Get("della"), baseValues, models, parameters, shape: [64, 64], seed: 2));
    }
}
