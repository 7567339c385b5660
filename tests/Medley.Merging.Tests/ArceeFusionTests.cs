using CsCheck;
using Medley.Merging.ArceeFusion;
using Xunit;

namespace Medley.Merging.Tests;

public class ArceeFusionTests
{
    private readonly ArceeFusionMergeMethod _method = new();

    [Fact]
    public void Only_outlier_changes_are_taken()
    {
        // One row, so importance = KL·|Δ| = KL·[1, 2, 3, 4, 100]; Q1 = 2KL, median = 3KL, Q3 = 4KL,
        // threshold = 3KL + 1.5·2KL = 6KL: only the last element passes.
        var result = MergeCase.Run(_method, [[1f, 2f, 3f, 4f, 100f]], baseModel: [0f, 0f, 0f, 0f, 0f]);
        MergeCase.Close([0, 0, 0, 0, 100], result);
    }

    [Fact]
    public void Base_equal_to_model_returns_base()
    {
        Gen.Float[-1, 1].Array[12].Sample(a => MergeCase.Close(a, MergeCase.Run(_method, [a], baseModel: a, shape: [3, 4])), iter: 50);
    }

    [Fact]
    public void Matches_a_double_precision_reference()
    {
        Gen.Select(Gen.Float[-2, 2].Array[24], Gen.Float[-2, 2].Array[24]).Sample((origin, tuned) =>
        {
            var importance = new double[24];
            for (var row = 0; row < 4; row++)
            {
                var p = Softmax(tuned.Skip(row * 6).Take(6).ToArray());
                var q = Softmax(origin.Skip(row * 6).Take(6).ToArray());
                var kl = p.Select((x, k) => x * Math.Log(x / q[k])).Sum();
                for (var k = 0; k < 6; k++)
                {
                    importance[(row * 6) + k] = (float)(Math.Abs((double)tuned[(row * 6) + k] - origin[(row * 6) + k]) * kl);
                }
            }

            var sorted = importance.Order().ToArray();
            var threshold = (float)sorted[11] + (1.5f * ((float)sorted[17] - (float)sorted[5]));
            var expected = importance.Select((v, k) => v >= threshold ? tuned[k] : origin[k]).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, [tuned], baseModel: origin, shape: [4, 6]));
        }, iter: 100);
    }

    private static double[] Softmax(float[] row)
    {
        var max = row.Max();
        var sum = row.Sum(x => Math.Exp(x - max));
        return row.Select(x => (Math.Exp(x - max) / sum) + 1e-8).ToArray();
    }
}
