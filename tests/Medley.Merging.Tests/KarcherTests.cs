using CsCheck;
using Medley.Merging.Karcher;
using Xunit;

namespace Medley.Merging.Tests;

public class KarcherTests
{
    private readonly KarcherMergeMethod _method = new();

    [Fact]
    public void Three_orthonormal_vectors_average_to_the_diagonal()
    {
        var result = MergeCase.Run(_method, [[1f, 0f, 0f], [0f, 1f, 0f], [0f, 0f, 1f]]);
        MergeCase.Close([0.57735027, 0.57735027, 0.57735027], result);
    }

    [Fact]
    public void One_vector_is_returned()
    {
        Gen.Float[-1, 1].Array[9].Sample(a => MergeCase.Close(a, MergeCase.Run(_method, [a])), iter: 50);
    }

    [Fact]
    public void Two_equal_norm_vectors_give_the_slerp_midpoint()
    {
        Gen.Select(Gen.Float[-1, 1].Array[10], Gen.Float[-1, 1].Array[10]).Sample((a, b) =>
        {
            var scale = (float)(MergeCase.Norm(a) / MergeCase.Norm(b));
            var c = b.Select(x => x * scale).ToArray();
            MergeCase.Close(SlerpTests.Reference(0.5, a, c), MergeCase.Run(_method, [a, c]), 1e-4);
        }, iter: 100);
    }

    [Fact]
    public void Matches_an_explicit_vector_iteration()
    {
        Gen.Float[-1, 1].Array[3].Array[6].Sample(rows =>
        {
            var models = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i]).ToArray()).ToArray();
            var norms = models.Select(MergeCase.Norm).ToArray();
            // Inputs no longer than tol take no part in the direction (mergekit); the scale still counts them.
            var units = models.Where((m, i) => norms[i] > 1e-5).Select(m => m.Select(x => x / MergeCase.Norm(m)).ToArray()).ToArray();
            if (units.Length == 0)
            {
                return;
            }

            var alpha = 1.0 / units.Length;
            var u = Enumerable.Range(0, 6).Select(k => units.Sum(v => v[k] * alpha)).ToArray();
            var un = Math.Sqrt(u.Sum(x => x * x));
            u = u.Select(x => x / un).ToArray();
            for (var iteration = 0; iteration < 10; iteration++)
            {
                var tangent = new double[6];
                foreach (var v in units)
                {
                    var dot = Math.Clamp(Enumerable.Range(0, 6).Sum(k => u[k] * v[k]), -1, 1);
                    var theta = Math.Acos(dot);
                    if (theta < 1e-5)
                    {
                        continue;
                    }

                    for (var k = 0; k < 6; k++)
                    {
                        tangent[k] += theta / Math.Sin(theta) * alpha * (v[k] - (dot * u[k]));
                    }
                }

                var tn = Math.Sqrt(tangent.Sum(x => x * x));
                if (tn < 1e-5)
                {
                    break;
                }

                u = u.Select((x, k) => (Math.Cos(tn) * x) + (Math.Sin(tn) * tangent[k] / tn)).ToArray();
                un = Math.Sqrt(u.Sum(x => x * x));
                u = u.Select(x => x / un).ToArray();
            }

            var expected = u.Select(x => x * norms.Average()).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, models), 1e-4);
        }, iter: 100);
    }
}
