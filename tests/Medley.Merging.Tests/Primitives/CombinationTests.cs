using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Tests.Primitives;

public sealed class CombinationTests
{
    [Fact]
    public void Sign_consensus_elects_the_sign_of_the_weighted_sum_with_zero_positive()
    {
        // Weighted values per element: [2, −3], [−1, 1], [0, 0] (weights 1 and 1; δ2 = [−3, 1, 0]).
        float[] signs = new float[3];
        SignConsensus.ComputeMajoritySigns([new float[] { 2, -1, 0 }, new float[] { -3, 1, 0 }], [1f, 1f], signs);
        Assert.Equal([-1f, 1f, 1f], signs);
        Assert.True(SignConsensus.Agrees(-3, -1));
        Assert.False(SignConsensus.Agrees(2, -1));
        // A zero never takes part, whatever the elected sign.
        Assert.False(SignConsensus.Agrees(0, 1));
    }

    [Fact]
    public void Negative_weights_flip_a_task_vector_before_the_election()
    {
        // δ1 = [2], δ2 = [1] with weights 1 and −3: weighted [2] and [−3], sum −1 → −; only δ2 agrees: −3 / −3 = 1.
        float[] output = new float[1];
        TaskVectorCombiner.Combine([10f], [new float[] { 2 }, new float[] { 1 }], [1f, -3f], ConsensusMethod.Sum, normalize: true, lambda: 1f, output);
        Assert.Equal([11f], output);
    }

    [Fact]
    public void Without_consensus_a_zero_weight_sum_is_not_divided_by()
    {
        float[] output = new float[2];
        TaskVectorCombiner.Combine([0f, 0f], [new float[] { 1, 2 }, new float[] { 3, 4 }], [1f, -1f], ConsensusMethod.None, normalize: true, lambda: 0.5f, output);
        // mixed = [1 − 3, 2 − 4] = [−2, −2], divisor 0 → 1, × 0.5.
        Assert.Equal([-1f, -1f], output);
    }

    [Fact]
    public void Task_vector_subtracts_and_applies()
    {
        float[] delta = new float[2];
        TaskVector.Compute([3f, 1f], [1f, 1f], delta);
        Assert.Equal([2f, 0f], delta);
        float[] output = new float[2];
        TaskVector.Apply([1f, 1f], delta, output);
        Assert.Equal([3f, 1f], output);
    }
}
