using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Tests.Primitives;

public sealed class GeneralizedTaskArithmeticTests
{
    [Fact]
    public void Inverse_density_rescaling_multiplies_kept_values_by_exactly_one_over_density()
    {
        var method = new GeneralizedTaskArithmetic("dare_exact", ConsensusMethod.None, SparsificationMethod.Random, defaultNormalize: false, defaultRescale: true, SparsificationRescale.InverseDensity);
        var output = new float[1000];
        var context = MergeRunner.Context(new float[1000], [Enumerable.Repeat(1f, 1000).ToArray()], [MergeRunner.P(("weight", 1.0), ("density", 0.25))], null, [1000], output, 3);
        method.MergeTensor(context, CancellationToken.None);
        Assert.Contains(output, v => v == 0f);
        Assert.All(output, v => Assert.True(v is 0f or 4f, $"{v}"));
    }

    [Fact]
    public void Per_model_values_fall_back_to_global_ones()
    {
        var method = new GeneralizedTaskArithmetic("example", ConsensusMethod.None, SparsificationMethod.None, defaultNormalize: false, defaultRescale: false);
        var output = new float[2];
        var context = MergeRunner.Context([1f, 1f], [[2f, 3f]], [MergeRunner.P()], MergeRunner.P(("weight", 2.0)), [2], output, 0);
        method.MergeTensor(context, CancellationToken.None);
        Assert.Equal([3f, 5f], output);
    }

    [Fact]
    public void Traits_follow_the_configuration()
    {
        var traits = new GeneralizedTaskArithmetic("x", ConsensusMethod.Sum, SparsificationMethod.MagnitudeOutliers, true, false).Traits;
        Assert.Equal(BaseModelUse.Required, traits.BaseModel);
        Assert.Equal(["weight", "density", "gamma"], traits.PerModelParameters);
        Assert.False(traits.IsRandomized);
    }

    [Fact]
    public void Density_out_of_range_is_reported()
    {
        var method = new GeneralizedTaskArithmetic("x", ConsensusMethod.Sum, SparsificationMethod.Magnitude, true, false);
        var problems = method.ValidateParameters(StrategyParameters.Empty, [StrategyParameters.FromValues(MergeRunner.P(("weight", 1.0), ("density", 1.5)))]);
        Assert.Equal(["model 1 of 1: 'density' is 1.5; expected a number in [0, 1]."], problems);
    }
}
