using Medley.Merging.Tests.Support;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class BreadcrumbsTests
{
    // Magnitudes 1…10 in scrambled order.
    private static readonly float[] Delta = [7, -2, 10, 4, -9, 1, 6, -3, 8, -5];

    [Fact]
    public void Drops_the_outliers_and_the_smallest_magnitudes()
    {
        // n = 10, density 0.5 → 5 kept; gamma 0.1 → n_top = 1, n_bot = 10 − 5 − 1 = 4:
        // ascending magnitudes 1…4 go, 10 goes as the outlier, 5…9 stay.
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.5), ("gamma", 0.1)) };
        var result = MergeRunner.Run(Methods.Get("breadcrumbs"), new float[10], [Delta], parameters);
        Assert.Equal([7f, 0f, 0f, 0f, -9f, 0f, 6f, 0f, 8f, -5f], result);
    }

    [Fact]
    public void Gamma_0_keeps_the_top_density_entries_where_mergekit_dropped_everything()
    {
        // n_top = 0: mergekit's indices[n_bot:-0] is empty; the fix keeps magnitudes 6…10.
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.5), ("gamma", 0.0)) };
        var result = MergeRunner.Run(Methods.Get("breadcrumbs"), new float[10], [Delta], parameters);
        Assert.Equal([7f, 0f, 10f, 0f, -9f, 0f, 6f, 0f, 8f, 0f], result);
    }

    [Fact]
    public void Default_gamma_rounds_to_no_outliers_on_small_tensors()
    {
        // gamma 0.01 of 10 elements is 0 outliers: the same top-density entries as gamma 0.
        var parameters = new[] { MergeRunner.P(("weight", 1.0), ("density", 0.5)) };
        var result = MergeRunner.Run(Methods.Get("breadcrumbs"), new float[10], [Delta], parameters);
        Assert.Equal([7f, 0f, 10f, 0f, -9f, 0f, 6f, 0f, 8f, 0f], result);
    }

    [Fact]
    public void Breadcrumbs_ties_elects_signs_and_sums_without_normalizing()
    {
        // density 1 keeps everything; weighted δ1 = [2, −1], δ2 = [−1, −1], δ3 = [1, 3]:
        // sums [2, 1] elect [+, +]: element 0 → 2 + 1 = 3, element 1 → 3.
        var result = MergeRunner.Run(Methods.Get("breadcrumbs_ties"), [0, 0], [[2, -1], [-1, -1], [1, 3]], MergeRunner.Weights(1, 1, 1));
        Assert.Equal([3f, 3f], result);
    }

    [Fact]
    public void Gamma_is_a_per_model_parameter()
    {
        Assert.Equal(["weight", "density", "gamma"], Methods.Get("breadcrumbs").Traits.PerModelParameters);
        Assert.Equal(BaseModelUse.Required, Methods.Get("breadcrumbs_ties").Traits.BaseModel);
        Assert.False(Methods.Get("breadcrumbs").Traits.IsRandomized);
    }
}
