using CsCheck;
using Medley.Merging.NearSwap;
using Xunit;

namespace Medley.Merging.Tests;

public class NearSwapTests
{
    private readonly NearSwapMergeMethod _method = new();

    [Fact]
    public void Close_values_swap_and_distant_values_keep_more_of_the_base()
    {
        // t = 1: w = [1, 0.5, 0.25].
        MergeCase.Close([0.5, 1, -1], MergeCase.Run(_method, [[0.5f, 2f, -4f]], baseModel: [0f, 0f, 0f], parameters: new { t = 1.0 }));
    }

    [Fact]
    public void Identical_inputs_are_returned()
    {
        Gen.Select(Gen.Float[-1, 1].Array[16], Gen.Double[0, 1]).Sample((a, t) =>
            MergeCase.Close(a, MergeCase.Run(_method, [a], baseModel: a, parameters: new { t })), iter: 100);
    }

    [Fact]
    public void Matches_a_double_precision_reference()
    {
        Gen.Select(Gen.Float[-1, 1].Array[16], Gen.Float[-1, 1].Array[16], Gen.Double[0, 0.5]).Sample((a, b, t) =>
        {
            var expected = a.Select((x, i) =>
            {
                var w = Math.Clamp(t / Math.Max(Math.Abs((double)x - b[i]), 1e-6), 0, 1);
                return (w * b[i]) + ((1 - w) * x);
            }).ToArray();
            MergeCase.Close(expected, MergeCase.Run(_method, [b], baseModel: a, parameters: new { t }));
        }, iter: 100);
    }
}
