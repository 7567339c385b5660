using CsCheck;
using Medley.Merging.Tests.Support;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class DareTests
{
    [Fact]
    public void Dare_linear_with_density_1_equals_task_arithmetic_bit_for_bit()
    {
        Gen.Int[1, 4].SelectMany(count => Gen.Int[1, 60].SelectMany(n => Gen.Select(
                Gen.Float[-10f, 10f].Array[n],
                Gen.Float[-10f, 10f].Array[n].Array[count],
                Gen.Float[-2f, 2f].Array[count],
                Gen.ULong)))
            .Sample((baseValues, models, weights, seed) =>
            {
                var parameters = MergeRunner.Weights(weights.Select(w => (double)w).ToArray());
                var dare = MergeRunner.Run(Methods.Get("dare_linear"), baseValues, models, parameters, seed: seed);
                var taskArithmetic = MergeRunner.Run(Methods.Get("task_arithmetic"), baseValues, models, parameters, seed: seed);
                Assert.Equal(taskArithmetic, dare);
            }, iter: 200);
    }

    [Fact]
    public void Dare_ties_with_density_1_elects_signs_without_normalizing()
    {
        // weighted δ1 = [1, −1], δ2 = [−3, 2]: sums [−2, 1] elect [−, +]; dare_ties does not normalize by default.
        var result = MergeRunner.Run(Methods.Get("dare_ties"), [5, 5], [[6, 4], [2, 7]], MergeRunner.Weights(1, 1));
        Assert.Equal([2f, 7f], result);
    }

    [Fact]
    public void Density_0_leaves_the_base()
    {
        float[] baseValues = [1, 2, 3];
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.0)) };
        Assert.Equal(baseValues, MergeRunner.Run(Methods.Get("dare_linear"), baseValues, [[4, 5, 6]], parameters));
    }

    [Theory]
    [InlineData("dare_ties")]
    [InlineData("dare_linear")]
    public void Same_seed_gives_bit_identical_output_and_a_different_seed_a_different_mask(string name)
    {
        var random = new Random(3);
        var baseValues = Enumerable.Range(0, 4096).Select(_ => (float)random.NextDouble()).ToArray();
        float[][] models = [baseValues.Select(b => b + 1f).ToArray(), baseValues.Select(b => b + 2f).ToArray()];
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.5)), MergeRunner.P(("weight", 0.5), ("density", 0.5)) };
        var method = Methods.Get(name);
        Assert.True(method.Traits.IsRandomized);
        var first = MergeRunner.Run(method, baseValues, models, parameters, seed: 11);
        var again = MergeRunner.Run(method, baseValues, models, parameters, seed: 11);
        var other = MergeRunner.Run(method, baseValues, models, parameters, seed: 12);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Rescale_restores_the_l1_norm_of_each_task_vector()
    {
        // One model, all task-vector entries equal to 1: whatever is kept is scaled so the L1 norm stays n.
        var n = 1000;
        var baseValues = new float[n];
        var model = Enumerable.Repeat(1f, n).ToArray();
        var result = MergeRunner.Run(Methods.Get("dare_linear"), baseValues, [model], [MergeRunner.P(("weight", 1.0), ("density", 0.3))]);
        Assert.Equal(n, result.Sum(v => (double)v), 2);
        var kept = result.Count(v => v != 0);
        Assert.All(result.Where(v => v != 0), v => Assert.Equal(n / (double)kept, v, 4));
    }
}
