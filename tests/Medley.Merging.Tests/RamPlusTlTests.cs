using Medley.Merging.RamPlusTl;
using Xunit;

namespace Medley.Merging.Tests;

public class RamPlusTlTests
{
    private readonly RamPlusTlMergeMethod _method = new();

    [Fact]
    public void Unique_changes_are_boosted_by_the_clamped_shared_to_unique_ratio()
    {
        // Model 0: one unique, one shared → ρ = 1, clamped to α = 0.2, λ = 1 + 0.1·0.2 = 1.02.
        // Model 1: no unique entries, so its λ is never used.
        var result = MergeCase.Run(_method, [[1f, 1f, 0f], [0f, 3f, 0f]], baseModel: [0f, 0f, 0f]);
        MergeCase.Close([1.02, 2, 0], result);
    }

    [Fact]
    public void Ratio_below_alpha_is_used_as_is()
    {
        // Model 0: 10 unique, 1 shared → ρ = 0.1, λ = 1 + 0.5·0.1 = 1.05 with r = 0.5.
        var tuned = new float[12];
        var other = new float[12];
        for (var i = 0; i < 11; i++)
        {
            tuned[i] = 1f;
        }

        other[10] = 3f;
        var result = MergeCase.Run(_method, [tuned, other], baseModel: new float[12], parameters: new { r = 0.5 });
        var expected = Enumerable.Repeat(1.05, 10).Append(2.0).Append(0.0).ToArray();
        MergeCase.Close(expected, result);
    }
}
