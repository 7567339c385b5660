using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.NearSwap;

/// <summary>
/// mergekit's <c>nearswap</c>: takes the other model's value where it is close to the base and keeps the
/// base where they differ, with a smooth ramp in between.
/// </summary>
/// <remarks>
/// Per element, with <c>a</c> the base and <c>b</c> the other model:
/// <c>w = clamp(t / max(|a − b|, 1e-6), 0, 1)</c> and <c>out = w·b + (1 − w)·a</c> (mergekit's current
/// form; older releases divided by <c>|a − b|</c> itself and rejected <c>t ≤ 0</c>). Identical inputs are
/// returned unchanged. Computed in double precision per element.
/// </remarks>
[MedleyStrategy("nearswap")]
public sealed class NearSwapMergeMethod : IMergeMethod
{
    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Required,
        MinModels = 1,
        MaxModels = 1,
    };

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters)
    {
        ArgumentNullException.ThrowIfNull(globalParameters);
        return globalParameters.Contains("t") ? [] : ["nearswap needs the global parameter 't' (the sameness threshold)."];
    }

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel("nearswap");
        context.RequireModelCount("nearswap", 1, 1);

        var t = context.Parameters.GetRequiredDouble("t");
        cancellationToken.ThrowIfCancellationRequested();
        var a = baseInput.Data.Span;
        var b = context.Models[0].Data.Span;
        var output = context.Output.Span;
        for (var i = 0; i < output.Length; i++)
        {
            double baseValue = a[i], otherValue = b[i];
            var weight = Math.Clamp(t / Math.Max(Math.Abs(baseValue - otherValue), 1e-6), 0.0, 1.0);
            output[i] = (float)((weight * otherValue) + ((1 - weight) * baseValue));
        }
    }
}
