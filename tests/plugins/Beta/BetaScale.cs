using Medley.Sdk;
using Medley.Sdk.Merging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Medley.TestPlugins.Beta;

/// <summary>A test merge method: scales one model; describes itself with an API that Newtonsoft.Json 13 added.</summary>
[MedleyStrategy("beta_scale")]
public sealed class BetaScale : IMergeMethod
{
    public MergeMethodTraits Traits { get; } = new() { MinModels = 1, MaxModels = 1 };

    public string JsonLibraryVersion => typeof(JsonConvert).Assembly.GetName().Version!.ToString();

    public string Describe(double factor)
    {
        // JToken.Parse with JsonLoadSettings exists in both, but DuplicatePropertyNameHandling is 12.0+ and
        // JsonConvert.SerializeObject of a record with positional members behaves the same; what matters is that
        // this call binds to the 13.x assembly while Alpha's binds to 12.x.
        var token = JToken.Parse($"{{\"plugin\":\"beta\",\"factor\":{factor.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
        return token.ToString(Formatting.None);
    }

    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var factor = (float)context.Parameters.GetDouble("factor", 1.0);
        var input = context.Models[0].Data.Span;
        var output = context.Output.Span;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = input[i] * factor;
        }
    }
}
