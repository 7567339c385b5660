using CsCheck;
using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

public sealed class PassthroughTests
{
    private static readonly IMergeMethod Passthrough = Methods.Get("passthrough");

    [Fact]
    public void Copies_the_single_input()
    {
        Assert.Equal([1f, -2f, 3f], MergeRunner.Run(Passthrough, null, [[1, -2, 3]], [MergeRunner.P()]));
    }

    [Fact]
    public void Scale_multiplies_the_tensor_per_model_or_globally()
    {
        Assert.Equal([0.5f, -1f, 1.5f], MergeRunner.Run(Passthrough, null, [[1, -2, 3]], [MergeRunner.P(("scale", 0.5))]));
        Assert.Equal([0f, 0f, 0f], MergeRunner.Run(Passthrough, null, [[1, -2, 3]], [MergeRunner.P()], MergeRunner.P(("scale", 0.0))));
        // The model's own value wins over the global one.
        Assert.Equal([2f, -4f, 6f], MergeRunner.Run(Passthrough, null, [[1, -2, 3]], [MergeRunner.P(("scale", 2.0))], MergeRunner.P(("scale", 0.0))));
    }

    [Fact]
    public void More_than_one_input_is_an_error_naming_the_tensor_and_models()
    {
        Assert.Equal(1, Passthrough.Traits.MaxModels);
        Assert.Equal(BaseModelUse.None, Passthrough.Traits.BaseModel);
        var ex = Assert.Throws<MedleyException>(() => MergeRunner.Run(Passthrough, null, [[1], [2]], [MergeRunner.P(), MergeRunner.P()]));
        Assert.Equal("merge.inputs.count", ex.Code);
        Assert.Contains("model0, model1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaled_output_is_scale_times_input()
    {
        Gen.Select(Gen.Float[-100f, 100f].Array[1, 50], Gen.Float[-4f, 4f])
            .Sample((values, scale) =>
            {
                var result = MergeRunner.Run(Passthrough, null, [values], [MergeRunner.P(("scale", (double)scale))]);
                Assert.Equal(values.Select(v => v * scale).ToArray(), result);
            }, iter: 200);
    }
}
