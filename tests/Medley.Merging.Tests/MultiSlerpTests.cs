using CsCheck;
using Medley.Merging.MultiSlerp;
using Xunit;

namespace Medley.Merging.Tests;

public class MultiSlerpTests
{
    private readonly MultiSlerpMergeMethod _method = new();

    [Fact]
    public void Two_orthogonal_vectors_of_norm_three_meet_at_the_bisector()
    {
        var result = MergeCase.Run(_method, [[3f, 0f], [0f, 3f]], weights: [1, 1]);
        MergeCase.Close([2.12132034, 2.12132034], result);
    }

    [Fact]
    public void Equal_norm_pairs_match_the_slerp_midpoint()
    {
        Gen.Select(Gen.Float[-1, 1].Array[10], Gen.Float[-1, 1].Array[10]).Sample((a, b) =>
        {
            var scale = (float)(MergeCase.Norm(a) / MergeCase.Norm(b));
            var c = b.Select(x => x * scale).ToArray();
            var expected = SlerpTests.Reference(0.5, a, c);
            MergeCase.Close(expected, MergeCase.Run(_method, [a, c], weights: [1, 1]), 1e-4);
        }, iter: 100);
    }

    [Fact]
    public void Matches_a_double_precision_reference_of_mergekit_formula()
    {
        Gen.Select(Gen.Float[-1, 1].Array[3].Array[8], Gen.Float[-1, 1].Array[8], Gen.Double[0.1, 1].Array[3]).Sample((rows, origin, w) =>
        {
            var models = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i]).ToArray()).ToArray();
            var ws = w.Select(x => x / w.Sum()).ToArray();
            var deltas = models.Select(m => m.Select((x, k) => (double)x - origin[k]).ToArray()).ToArray();
            var norms = deltas.Select(d => Math.Sqrt(d.Sum(x => x * x))).ToArray();
            var units = deltas.Select((d, i) => d.Select(x => x / (norms[i] + 1e-8)).ToArray()).ToArray();
            var mean = Enumerable.Range(0, 8).Select(k => Enumerable.Range(0, 3).Sum(i => ws[i] * units[i][k])).ToArray();
            var meanNorm = Math.Sqrt(mean.Sum(x => x * x));
            var m = mean.Select(x => x / meanNorm).ToArray();
            var tangent = new double[8];
            for (var i = 0; i < 3; i++)
            {
                var d = Enumerable.Range(0, 8).Sum(k => units[i][k] * m[k]);
                for (var k = 0; k < 8; k++)
                {
                    tangent[k] += ws[i] * (units[i][k] - (d * m[k]));
                }
            }

            var tau = Math.Sqrt(tangent.Sum(x => x * x)) + 1e-8;
            var avg = Enumerable.Range(0, 3).Sum(i => ws[i] * norms[i]);
            var expected = Enumerable.Range(0, 8).Select(k => origin[k] + (avg * ((m[k] * Math.Cos(tau)) + (tangent[k] * Math.Sin(tau) / tau)))).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, models, baseModel: origin, weights: w), 1e-4);
        }, iter: 100);
    }
}
