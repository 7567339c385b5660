using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.RamPlusTl;

/// <summary>
/// mergekit's <c>ramplus_tl</c> (Reinforced Agent Merging Plus, tensor-local): RAM whose unique contributions
/// are boosted for models whose changes mostly overlap with other models'.
/// </summary>
/// <remarks>
/// <para>
/// As in <c>ram</c>, model <c>i</c> is active at an element when <c>|δᵢ| &gt; epsilon</c> and <c>cnt</c> counts
/// the active models. Per tensor and model, <c>shared_i</c> counts the elements where <c>i</c> is active with
/// <c>cnt &gt; 1</c> and <c>unique_i</c> those where it is the only active model;
/// <c>ρᵢ = shared_i / max(unique_i, epsilon)</c> and <c>λᵢ = 1 + r · clamp(ρᵢ, 0, alpha)</c>
/// (this is mergekit's definition: ρ is the ratio of shared to unique entries, not a share of the unique ones).
/// </para>
/// <para>
/// Per element: <c>out = base + λᵢ δᵢ</c> when only model <c>i</c> is active, <c>base + Σ_active δᵢ / cnt</c>
/// when several are, <c>base</c> when none is. The tensor is read twice.
/// </para>
/// </remarks>
[MedleyStrategy("ramplus_tl")]
public sealed class RamPlusTlMergeMethod : IMergeMethod
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
        var baseInput = context.RequireBaseModel("ramplus_tl");
        var epsilon = context.Parameters.GetDouble("epsilon", 1e-5);
        var r = context.Parameters.GetDouble("r", 0.1);
        var alpha = context.Parameters.GetDouble("alpha", 0.2);
        var models = context.Models;
        var n = models.Count;
        var baseValues = baseInput.Data.Span;
        var output = context.Output.Span;

        var shared = new long[n];
        var unique = new long[n];
        for (var k = 0; k < output.Length; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            double origin = baseValues[k];
            var active = 0;
            var last = -1;
            for (var i = 0; i < n; i++)
            {
                if (Math.Abs(models[i].Data.Span[k] - origin) > epsilon)
                {
                    active++;
                    last = i;
                }
            }

            if (active == 1)
            {
                unique[last]++;
            }
            else if (active > 1)
            {
                for (var i = 0; i < n; i++)
                {
                    if (Math.Abs(models[i].Data.Span[k] - origin) > epsilon)
                    {
                        shared[i]++;
                    }
                }
            }
        }

        var boost = new double[n];
        for (var i = 0; i < n; i++)
        {
            var rho = shared[i] / Math.Max(unique[i], epsilon);
            boost[i] = 1 + (r * Math.Clamp(rho, 0, alpha));
        }

        for (var k = 0; k < output.Length; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            double origin = baseValues[k];
            var sum = 0.0;
            var active = 0;
            var last = -1;
            for (var i = 0; i < n; i++)
            {
                var delta = models[i].Data.Span[k] - origin;
                if (Math.Abs(delta) > epsilon)
                {
                    sum += delta;
                    active++;
                    last = i;
                }
            }

            output[k] = active switch
            {
                0 => baseValues[k],
                1 => (float)(origin + (boost[last] * sum)),
                _ => (float)(origin + (sum / active)),
            };
        }
    }
}
