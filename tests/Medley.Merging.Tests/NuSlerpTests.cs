using CsCheck;
using Medley.Merging.NuSlerp;
using Xunit;

namespace Medley.Merging.Tests;

public class NuSlerpTests
{
    private readonly NuSlerpMergeMethod _method = new();

    [Fact]
    public void Weights_one_and_three_interpolate_three_quarters_of_the_arc()
    {
        var result = MergeCase.Run(_method, [[1f, 0f], [0f, 1f]], weights: [1, 3]);
        MergeCase.Close([0.38268343, 0.92387953], result);
    }

    [Fact]
    public void Base_interpolates_task_vectors()
    {
        var result = MergeCase.Run(_method, [[2f, 1f], [1f, 2f]], baseModel: [1f, 1f], weights: [1, 1]);
        MergeCase.Close([1.70710678, 1.70710678], result);
    }

    [Fact]
    public void Unflattened_interpolates_rows_by_default_and_columns_when_row_wise()
    {
        // x0 rows: [1,0],[1,0]; x1 rows: [0,1],[1,0]. Row 0 is a quarter turn, row 1 colinear.
        float[] x0 = [1f, 0f, 1f, 0f];
        float[] x1 = [0f, 1f, 1f, 0f];
        var rows = MergeCase.Run(_method, [x0, x1], weights: [1, 1], shape: [2, 2], parameters: new { nuslerp_flatten = false });
        MergeCase.Close([0.70710678, 0.70710678, 1, 0], rows);

        // Columns (along dim 0): col 0 x0=[1,1], x1=[0,1] (45°); col 1 x0=[0,0], x1=[1,0] (zero vector: cos 0).
        var columns = MergeCase.Run(_method, [x0, x1], weights: [1, 1], shape: [2, 2], parameters: new { nuslerp_flatten = false, nuslerp_row_wise = true });
        var s = Math.Sin(Math.PI / 8) / Math.Sin(Math.PI / 4);
        var h = Math.Sin(Math.PI / 4);
        MergeCase.Close([s, h, s * 2, 0], columns);
    }

    [Fact]
    public void Matches_a_double_precision_reference_with_a_base()
    {
        Gen.Select(Gen.Float[-1, 1].Array[12], Gen.Float[-1, 1].Array[12], Gen.Float[-1, 1].Array[12], Gen.Double[0.1, 2]).Sample((a, b, origin, w) =>
        {
            var d0 = a.Select((x, i) => x - origin[i]).ToArray();
            var d1 = b.Select((x, i) => x - origin[i]).ToArray();
            var t = w / (1 + w);
            var n0 = MergeCase.Norm(d0);
            var n1 = MergeCase.Norm(d1);
            var cos = Math.Clamp(MergeCase.Dot(d0, d1) / n0 / n1, -1, 1);
            var theta = Math.Acos(cos);
            var expected = origin.Select((o, i) => o + ((Math.Sin((1 - t) * theta) * d0[i]) + (Math.Sin(t * theta) * d1[i])) / Math.Sin(theta)).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, [a, b], baseModel: origin, weights: [1, w]), 1e-4);
        }, iter: 100);
    }
}
