using CsCheck;
using Medley.Merging.ModelStock;
using Xunit;

namespace Medley.Merging.Tests;

public class ModelStockTests
{
    private readonly ModelStockMergeMethod _method = new();

    [Fact]
    public void Orthogonal_offsets_keep_the_base()
    {
        MergeCase.Close([0, 0], MergeCase.Run(_method, [[1f, 0f], [0f, 1f]], baseModel: [0f, 0f]));
    }

    [Fact]
    public void Offsets_at_45_degrees_move_0_828_of_the_way()
    {
        // cos = 1/√2, t = 2c/(1+c) = 0.828427; mean = [1, 0.5].
        MergeCase.Close([0.82842712, 0.41421356], MergeCase.Run(_method, [[1f, 0f], [1f, 1f]], baseModel: [0f, 0f]));
    }

    [Fact]
    public void Filter_wise_uses_one_ratio_per_row()
    {
        float[] origin = [0f, 0f, 0f, 0f];
        var result = MergeCase.Run(_method, [[1f, 0f, 1f, 0f], [0f, 1f, 1f, 1f]], baseModel: origin, shape: [2, 2], parameters: new { filter_wise = true });
        MergeCase.Close([0, 0, 0.82842712, 0.41421356], result);
    }

    [Fact]
    public void Identical_fine_tunes_return_that_fine_tune()
    {
        Gen.Select(Gen.Float[-1, 1].Array[12], Gen.Float[-1, 1].Array[12]).Sample((origin, tuned) =>
        {
            MergeCase.Close(tuned, MergeCase.Run(_method, [tuned, tuned, tuned], baseModel: origin), 1e-4);
        }, iter: 100);
    }

    [Fact]
    public void Matches_a_double_precision_reference()
    {
        Gen.Float[-1, 1].Array[4].Array[10].Sample(rows =>
        {
            var origin = rows.Select(r => r[3]).ToArray();
            var models = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i]).ToArray()).ToArray();
            var offsets = models.Select(m => m.Select((x, k) => x - origin[k]).ToArray()).ToArray();
            var cos = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                for (var j = i + 1; j < 3; j++)
                {
                    cos.Add(Math.Clamp(MergeCase.Dot(offsets[i], offsets[j]) / Math.Max(MergeCase.Norm(offsets[i]) * MergeCase.Norm(offsets[j]), 1e-6), -1, 1));
                }
            }

            var c = cos.Average();
            var t = 3 * c / (1 + (2 * c));
            var expected = origin.Select((o, k) => (t * models.Average(m => (double)m[k])) + ((1 - t) * o)).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, models, baseModel: origin), 1e-3);
        }, iter: 100);
    }
}
