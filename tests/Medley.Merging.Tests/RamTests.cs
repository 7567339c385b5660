using CsCheck;
using Medley.Merging.Ram;
using Xunit;

namespace Medley.Merging.Tests;

public class RamTests
{
    private readonly RamMergeMethod _method = new();

    [Fact]
    public void Unique_changes_are_kept_and_shared_changes_averaged()
    {
        var result = MergeCase.Run(_method, [[1f, 1f, 0f, 1e-6f], [0f, 3f, 0f, 0f]], baseModel: [0f, 0f, 0f, 0f]);
        MergeCase.Close([1, 2, 0, 0], result);
    }

    [Fact]
    public void One_active_model_gives_base_plus_its_delta()
    {
        Gen.Select(Gen.Float[-1, 1].Array[12], Gen.Float[-1, 1].Array[12]).Sample((origin, tuned) =>
        {
            var expected = tuned.Select((x, i) => Math.Abs((double)x - origin[i]) > 1e-5 ? x : origin[i]).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, [tuned, origin], baseModel: origin));
        }, iter: 100);
    }

    [Fact]
    public void Matches_a_double_precision_reference()
    {
        Gen.Select(Gen.Int[0, 2].Array[3].Array[10], Gen.Float[-1, 1].Array[10]).Sample((choice, origin) =>
        {
            // Values drawn from {base, base + 0.5, base − 0.25} make overlaps frequent.
            float[] offsets = [0f, 0.5f, -0.25f];
            var models = Enumerable.Range(0, 3).Select(i => origin.Select((o, k) => o + offsets[choice[k][i]]).ToArray()).ToArray();
            var expected = origin.Select((o, k) =>
            {
                var deltas = models.Select(m => (double)m[k] - o).Where(d => Math.Abs(d) > 1e-5).ToArray();
                return deltas.Length == 0 ? o : o + (deltas.Sum() / deltas.Length);
            }).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, models, baseModel: origin));
        }, iter: 100);
    }
}
