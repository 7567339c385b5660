using Medley.Sdk;
using Medley.Sdk.Merging;
using Newtonsoft.Json;

namespace Medley.TestPlugins.Alpha;

/// <summary>A test merge method: out = weight·a + (1 − weight)·b, with a JSON self-description made by Newtonsoft.Json 12.</summary>
[MedleyStrategy("alpha_blend")]
public sealed class AlphaBlend : IMergeMethod
{
    public MergeMethodTraits Traits { get; } = new() { MinModels = 2, MaxModels = 2, PerModelParameters = [] };

    /// <summary>Which Newtonsoft.Json this plugin runs with (the test compares it with Beta's).</summary>
    public string JsonLibraryVersion => typeof(JsonConvert).Assembly.GetName().Version!.ToString();

    /// <summary>Proves the private dependency works: serializes with it.</summary>
    public string Describe(double weight) => JsonConvert.SerializeObject(new { plugin = "alpha", weight });

    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var weight = (float)context.Parameters.GetRequiredDouble("weight");
        var a = context.Models[0].Data.Span;
        var b = context.Models[1].Data.Span;
        var output = context.Output.Span;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (weight * a[i]) + ((1 - weight) * b[i]);
        }
    }
}
