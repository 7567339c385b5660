using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Ram;

/// <summary>
/// mergekit's <c>ram</c> (Reinforced Agent Merging): adds each task vector element where only one model
/// changed it, and the mean of the changes where several did.
/// </summary>
/// <remarks>
/// Per element, model <c>i</c> is active when <c>|xᵢ − base| &gt; epsilon</c>; with <c>cnt</c> active models
/// <c>out = base + Σ_active δᵢ / cnt</c> (just <c>δᵢ</c> when <c>cnt = 1</c>, <c>base</c> when none is active).
/// Inactive changes are dropped, not added. Differences are taken in double precision.
/// </remarks>
[MedleyStrategy("ram")]
public sealed class RamMergeMethod : IMergeMethod
{
    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Required,
        MinModels = 1,
    };

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel("ram");
        var epsilon = context.Parameters.GetDouble("epsilon", 1e-5);
        var models = context.Models;
        var baseValues = baseInput.Data.Span;
        var output = context.Output.Span;
        for (var k = 0; k < output.Length; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            double origin = baseValues[k];
            var sum = 0.0;
            var active = 0;
            for (var i = 0; i < models.Count; i++)
            {
                var delta = models[i].Data.Span[k] - origin;
                if (Math.Abs(delta) > epsilon)
                {
                    sum += delta;
                    active++;
                }
            }

            output[k] = active == 0 ? baseValues[k] : (float)(origin + (sum / active));
        }
    }
}
