using CsCheck;
using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class TaskArithmeticTests
{
    private static readonly IMergeMethod TaskArithmetic = Methods.Get("task_arithmetic");

    // δ1 = [1, −1, 0, 2], δ2 = [0, 2, 0, −2] against a base of ones.
    private static readonly float[] Base = [1, 1, 1, 1];
    private static readonly float[][] Models = [[2, 0, 1, 3], [1, 3, 1, -1]];

    [Fact]
    public void Adds_weighted_task_vectors_to_the_base()
    {
        // mixed = 1·δ1 + 0.5·δ2 = [1, 0, 0, 1]
        Assert.Equal([2f, 1f, 1f, 2f], MergeRunner.Run(TaskArithmetic, Base, Models, MergeRunner.Weights(1, 0.5)));
    }

    [Fact]
    public void Lambda_scales_the_mix()
    {
        Assert.Equal([3f, 1f, 1f, 3f], MergeRunner.Run(TaskArithmetic, Base, Models, MergeRunner.Weights(1, 0.5), MergeRunner.P(("lambda", 2.0))));
    }

    [Fact]
    public void Normalize_divides_by_the_weight_sum()
    {
        // [1, 0, 0, 1] / 1.5
        var result = MergeRunner.Run(TaskArithmetic, Base, Models, MergeRunner.Weights(1, 0.5), MergeRunner.P(("normalize", true)));
        Tolerance.AssertClose([1 + (1 / 1.5), 1, 1, 1 + (1 / 1.5)], result);
    }

    [Fact]
    public void Needs_a_base_and_names_the_tensor_when_it_is_missing()
    {
        Assert.Equal(BaseModelUse.Required, TaskArithmetic.Traits.BaseModel);
        Assert.Equal(["weight", "density"], TaskArithmetic.Traits.PerModelParameters);
        var ex = Assert.Throws<MedleyException>(() => MergeRunner.Run(TaskArithmetic, null, Models, MergeRunner.Weights(1, 1)));
        Assert.Equal("merge.base_model.missing", ex.Code);
        Assert.Contains("model.layers.0.mlp.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_weight_names_the_model_and_tensor()
    {
        var ex = Assert.Throws<MedleyException>(() => MergeRunner.Run(TaskArithmetic, Base, Models, [MergeRunner.P(("weight", 1.0)), MergeRunner.P()]));
        Assert.Equal("parameter.missing", ex.Code);
        Assert.Contains("model 'model1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'weight'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_lambda_1_and_unit_weights_it_is_base_plus_the_sum_of_task_vectors()
    {
        Gen.Int[1, 4].SelectMany(count => Gen.Int[1, 50].SelectMany(n =>
                Gen.Select(Gen.Float[-10f, 10f].Array[n], Gen.Float[-10f, 10f].Array[n].Array[count])))
            .Sample((baseValues, models) =>
            {
                var result = MergeRunner.Run(TaskArithmetic, baseValues, models, MergeRunner.Weights(Enumerable.Repeat(1.0, models.Length).ToArray()));
                var expected = baseValues.Select((b, j) => b + models.Sum(m => (double)(m[j] - b))).ToArray();
                Tolerance.AssertClose(expected, result);
            }, iter: 200);
    }
}
