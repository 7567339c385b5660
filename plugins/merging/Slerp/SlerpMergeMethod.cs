using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Slerp;

/// <summary>
/// mergekit's <c>slerp</c>: spherical linear interpolation between the base model and one other model,
/// treating each whole tensor as one flat vector.
/// </summary>
/// <remarks>
/// <para>
/// The angle comes from copies of both tensors scaled to unit length (a copy whose norm is at most 1e-8 is
/// left as it is, as mergekit does); the interpolation itself is applied to the original, un-normalized
/// tensors: <c>out = sin((1−t)θ)/sin θ · base + sin(tθ)/sin θ · model</c>.
/// When the unit copies are nearly colinear (<c>|cos θ| &gt; 0.9995</c>) the result is the linear
/// interpolation <c>(1−t)·base + t·model</c>, so <c>t = 0</c> gives the base and <c>t = 1</c> the model.
/// </para>
/// <para>
/// <c>t</c> is a per-tensor scalar: gradients and filters are resolved by the host before the call.
/// Dot products and norms are accumulated in double precision (mergekit uses float32).
/// </para>
/// </remarks>
[MedleyStrategy("slerp")]
public sealed class SlerpMergeMethod : IMergeMethod
{
    private const double ColinearDotThreshold = 0.9995;
    private const double NormalizeEpsilon = 1e-8;

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
        return globalParameters.Contains("t") ? [] : ["slerp needs the global parameter 't' (0 keeps the base model, 1 takes the other model)."];
    }

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel("slerp");
        context.RequireModelCount("slerp", 1, 1);

        var t = context.Parameters.GetRequiredDouble("t");
        cancellationToken.ThrowIfCancellationRequested();
        var (s0, s1) = Coefficients(t, baseInput.Data.Span, context.Models[0].Data.Span);
        var v0 = baseInput.Data.Span;
        var v1 = context.Models[0].Data.Span;
        var output = context.Output.Span;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (float)((s0 * v0[i]) + (s1 * v1[i]));
        }
    }

    private static (double S0, double S1) Coefficients(double t, ReadOnlySpan<float> v0, ReadOnlySpan<float> v1)
    {
        double dot = 0, squared0 = 0, squared1 = 0;
        for (var i = 0; i < v0.Length; i++)
        {
            double a = v0[i], b = v1[i];
            dot += a * b;
            squared0 += a * a;
            squared1 += b * b;
        }

        var norm0 = Math.Sqrt(squared0);
        var norm1 = Math.Sqrt(squared1);
        var unitDot = dot / (norm0 > NormalizeEpsilon ? norm0 : 1.0) / (norm1 > NormalizeEpsilon ? norm1 : 1.0);
        if (Math.Abs(unitDot) > ColinearDotThreshold)
        {
            return (1 - t, t);
        }

        var theta = Math.Acos(unitDot);
        var sinTheta = Math.Sin(theta);
        return (Math.Sin(theta - (theta * t)) / sinTheta, Math.Sin(theta * t) / sinTheta);
    }
}
