using Xunit;
using CsCheck;
using Medley.Merging.Slerp;

namespace Medley.Merging.Tests;

public class SlerpTests
{
    private readonly SlerpMergeMethod _method = new();

    [Fact]
    public void Orthogonal_unit_vectors_at_half_give_their_normalized_sum()
    {
        var result = MergeCase.Run(_method, [[0f, 1f]], baseModel: [1f, 0f], parameters: new { t = 0.5 });
        MergeCase.Close([0.70710678, 0.70710678], result);
    }

    [Fact]
    public void Quarter_turn_at_one_third_follows_the_arc()
    {
        // θ = π/2: out = sin(π/3)·v0 + sin(π/6)·v1 with sin θ = 1.
        var result = MergeCase.Run(_method, [[0f, 2f]], baseModel: [2f, 0f], parameters: new { t = 1.0 / 3 });
        MergeCase.Close([2 * 0.8660254, 2 * 0.5], result);
    }

    [Fact]
    public void Colinear_inputs_fall_back_to_lerp()
    {
        var result = MergeCase.Run(_method, [[2f, 4f]], baseModel: [1f, 2f], parameters: new { t = 0.25 });
        MergeCase.Close([1.25, 2.5], result);
    }

    [Fact]
    public void Missing_t_is_reported_before_merging()
    {
        Assert.NotEmpty(_method.ValidateParameters(Sdk.StrategyParameters.Empty, [Sdk.StrategyParameters.Empty]));
        Assert.Throws<Sdk.MedleyException>(() => MergeCase.Run(_method, [[1f]], baseModel: [0f]));
    }

    [Fact]
    public void Ends_return_the_inputs()
    {
        Gen.Select(Gen.Float[-1, 1].Array[16], Gen.Float[-1, 1].Array[16]).Sample((a, b) =>
        {
            MergeCase.Close(a, MergeCase.Run(_method, [b], baseModel: a, parameters: new { t = 0.0 }));
            MergeCase.Close(b, MergeCase.Run(_method, [b], baseModel: a, parameters: new { t = 1.0 }));
        }, iter: 100);
    }

    [Fact]
    public void Matches_a_double_precision_reference()
    {
        Gen.Select(Gen.Float[-1, 1].Array[24], Gen.Float[-1, 1].Array[24], Gen.Double[0, 1]).Sample((a, b, t) =>
        {
            MergeCase.Close(Reference(t, a, b), MergeCase.Run(_method, [b], baseModel: a, parameters: new { t }), 1e-4);
        }, iter: 100);
    }

    internal static double[] Reference(double t, float[] v0, float[] v1)
    {
        var n0 = MergeCase.Norm(v0);
        var n1 = MergeCase.Norm(v1);
        var dot = MergeCase.Dot(v0, v1) / (n0 > 1e-8 ? n0 : 1) / (n1 > 1e-8 ? n1 : 1);
        if (Math.Abs(dot) > 0.9995)
        {
            return v0.Select((x, i) => ((1 - t) * x) + (t * v1[i])).ToArray();
        }

        var theta = Math.Acos(dot);
        var s0 = Math.Sin((1 - t) * theta) / Math.Sin(theta);
        var s1 = Math.Sin(t * theta) / Math.Sin(theta);
        return v0.Select((x, i) => (s0 * x) + (s1 * v1[i])).ToArray();
    }
}
