using CsCheck;
using Medley.Merging.Tests.Support;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class TiesTests
{
    private static readonly IMergeMethod Ties = Methods.Get("ties");

    [Fact]
    public void Trims_elects_signs_and_averages_the_agreeing_task_vectors()
    {
        // δ1 = [3, −1, 2, −4], δ2 = [−2, 1, 1, 3]; density 0.5 keeps 2 of 4:
        // δ1 → [3, 0, 0, −4], δ2 → [−2, 0, 0, 3]. Weights 1 and 2: weighted δ2 = [−4, 0, 0, 6].
        // Sums [−1, 0, 0, 2] elect [−, +, +, +]. Element 0: only δ2 agrees → −4 / 2 = −2.
        // Elements 1, 2: nothing left → 0. Element 3: only δ2 agrees → 6 / 2 = 3.
        float[] baseValues = [10, 10, 10, 10];
        float[][] models = [[13, 9, 12, 6], [8, 11, 11, 13]];
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.5)), MergeRunner.P(("weight", 2.0), ("density", 0.5)) };
        Assert.Equal([8f, 10f, 10f, 13f], MergeRunner.Run(Ties, baseValues, models, parameters));
    }

    [Fact]
    public void Without_normalize_sums_the_agreeing_weighted_values()
    {
        // density 1: weighted δ1 = [1, −1], δ2 = [−3, 2]; sums [−2, 1] elect [−, +]: [−3, 2].
        var result = MergeRunner.Run(Ties, [0, 0], [[1, -1], [-3, 2]], MergeRunner.Weights(1, 1), MergeRunner.P(("normalize", false)));
        Assert.Equal([-3f, 2f], result);
    }

    [Fact]
    public void Traits_declare_a_required_base_and_deterministic_merging()
    {
        Assert.Equal(BaseModelUse.Required, Ties.Traits.BaseModel);
        Assert.Equal(["weight", "density"], Ties.Traits.PerModelParameters);
        Assert.False(Ties.Traits.IsRandomized);
    }

    [Fact]
    public void With_density_1_and_agreeing_signs_it_is_base_plus_the_weighted_mean_of_task_vectors()
    {
        Gen.Int[1, 4].SelectMany(count => Gen.Int[1, 40].SelectMany(n => Gen.Select(
                Gen.Float[-10f, 10f].Array[n],
                Gen.Float[0.01f, 5f].Array[n].Array[count],
                Gen.Bool.Array[n],
                Gen.Float[0.1f, 3f].Array[count])))
            .Sample((baseValues, magnitudes, negative, weights) =>
            {
                // Every task vector has the same sign at each element, so all of them agree everywhere.
                var models = magnitudes.Select(m => m.Select((v, j) => baseValues[j] + (negative[j] ? -v : v)).ToArray()).ToArray();
                var result = MergeRunner.Run(Ties, baseValues, models, MergeRunner.Weights(weights.Select(w => (double)w).ToArray()));
                var expected = baseValues.Select((b, j) =>
                    b + (models.Select((m, i) => weights[i] * (double)(m[j] - b)).Sum() / weights.Sum(w => (double)w))).ToArray();
                Tolerance.AssertClose(expected, result);
            }, iter: 200);
    }
}
