using CsCheck;
using Medley.Merging.Sce;
using Xunit;

namespace Medley.Merging.Tests;

public class SceTests
{
    private readonly SceMergeMethod _method = new();

    [Fact]
    public void Equal_energy_models_merge_by_sign_consensus()
    {
        // Energies 14/3 each → w = 0.5 each. Sums: 4 (+), 0 (+, zero counts positive), 2 (+).
        var result = MergeCase.Run(_method, [[1f, -2f, 3f], [3f, 2f, -1f]], baseModel: [0f, 0f, 0f]);
        MergeCase.Close([2, 2, 3], result);
    }

    [Fact]
    public void Select_keeps_the_highest_variance_elements()
    {
        // Variances: [1, 4, 0.25, 0] → 3 non-zero, k = ⌊0.67·3⌋ = 2 keeps elements 0 and 1.
        var result = MergeCase.Run(_method, [[1f, 2f, 0.5f, 1f], [-1f, -2f, -0.5f, 1f]], baseModel: [0f, 0f, 0f, 0f], parameters: new { select_topk = 0.67 });
        // Element 0: sum 0 → +, only model 0 (w 0.5) → 1. Element 1: → 2. Elements 2, 3 dropped.
        MergeCase.Close([1, 2, 0, 0], result);
    }

    [Fact]
    public void Matches_a_double_precision_reference()
    {
        Gen.Select(Gen.Float[-1, 1].Array[4].Array[20], Gen.Double[0.05, 1]).Sample((rows, topK) =>
        {
            var origin = rows.Select(r => r[3]).ToArray();
            var models = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i]).ToArray()).ToArray();
            MergeCase.Close(Reference(models, origin, topK), MergeCase.Run(_method, models, baseModel: origin, parameters: new { select_topk = topK }), 1e-4);
        }, iter: 100);
    }

    private static double[] Reference(float[][] models, float[] origin, double topK)
    {
        var n = models.Length;
        var count = origin.Length;
        var deltas = models.Select(m => m.Select((x, k) => (double)x - origin[k]).ToArray()).ToArray();
        if (topK < 1)
        {
            var variance = Enumerable.Range(0, count).Select(k =>
            {
                var mean = deltas.Average(d => d[k]);
                return (float)deltas.Average(d => (d[k] - mean) * (d[k] - mean));
            }).ToArray();
            var keep = (int)(topK * variance.Count(v => v != 0));
            var kept = Enumerable.Range(0, count).OrderByDescending(k => variance[k]).ThenBy(k => k).Take(keep).ToHashSet();
            foreach (var d in deltas)
            {
                for (var k = 0; k < count; k++)
                {
                    d[k] = kept.Contains(k) ? d[k] : 0;
                }
            }
        }

        var energy = deltas.Select(d => d.Average(x => x * x)).ToArray();
        var weights = energy.Sum() < 1e-6 ? energy.Select(_ => 1.0 / n).ToArray() : energy.Select(e => e / energy.Sum()).ToArray();
        return Enumerable.Range(0, count).Select(k =>
        {
            var sign = deltas.Sum(d => d[k]) >= 0 ? 1 : -1;
            double mixed = 0, divisor = 0;
            for (var i = 0; i < n; i++)
            {
                if (Math.Sign(deltas[i][k]) == sign)
                {
                    mixed += weights[i] * deltas[i][k];
                    divisor += weights[i];
                }
            }

            return origin[k] + (mixed / Math.Max(divisor, 1e-6));
        }).ToArray();
    }
}
