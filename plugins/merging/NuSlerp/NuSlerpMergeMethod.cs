using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.NuSlerp;

/// <summary>
/// mergekit's <c>nuslerp</c>: spherical interpolation of exactly two models, weighted per model, optionally
/// of their task vectors relative to a base model.
/// </summary>
/// <remarks>
/// <para>
/// The interpolation factor is <c>t = w₂ / (w₁ + w₂)</c> from the models' <c>weight</c> parameters (0.5 when
/// <c>|w₁ + w₂| &lt; 1e-6</c>). With a base the result is <c>base + slerp(t, x₁ − base, x₂ − base)</c>,
/// otherwise <c>slerp(t, x₁, x₂)</c>.
/// </para>
/// <para>
/// Vectors: with <c>nuslerp_flatten</c> (default) the whole tensor is one vector. Without it, mergekit
/// interpolates along one dimension independently: by default along the last dimension (each
/// <c>W[i, :]</c>); with <c>nuslerp_row_wise</c> along the first dimension (each <c>W[:, j]</c>, mergekit
/// transposes dimension 0 to the end). Medley follows mergekit's code here, not the wording of its
/// documentation ("row vectors instead of column vectors"). A one-dimensional tensor is a single vector
/// either way.
/// </para>
/// <para>
/// Each vector is normalized by <c>max(‖v‖, 1e-7)</c>; <c>cos θ</c> is clamped to [−1, 1]; where
/// <c>|sin θ| ≤ 1e-8</c> the vectors are colinear and linear interpolation <c>(1−t)·v₁ + t·v₂</c> is used,
/// otherwise <c>(sin((1−t)θ)·v₁ + sin(tθ)·v₂) / sin θ</c>. Note that a zero vector has cos θ = 0 and is
/// therefore interpolated spherically, as in mergekit. Dot products and norms use double precision.
/// </para>
/// </remarks>
[MedleyStrategy("nuslerp")]
public sealed class NuSlerpMergeMethod : IMergeMethod
{
    private const double NormClamp = 1e-7;
    private const double ColinearSine = 1e-8;

    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Optional,
        MinModels = 2,
        MaxModels = 2,
        PerModelParameters = ["weight"],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        var problems = new List<string>();
        for (var i = 0; i < modelParameters.Count; i++)
        {
            if (!modelParameters[i].Contains("weight"))
            {
                problems.Add($"nuslerp needs the per-model parameter 'weight' for model #{i + 1}.");
            }
        }

        return problems;
    }

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequireModelCount("nuslerp", 2, 2);

        var weight0 = context.Models[0].Parameters.GetRequiredDouble("weight");
        var weight1 = context.Models[1].Parameters.GetRequiredDouble("weight");
        var total = weight0 + weight1;
        var t = Math.Abs(total) < 1e-6 ? 0.5 : weight1 / total;
        var flatten = context.Parameters.GetBoolean("nuslerp_flatten", true);
        var alongFirstDimension = context.Parameters.GetBoolean("nuslerp_row_wise", false);

        var count = context.ElementCount;
        if (count == 0)
        {
            return;
        }

        // Each vector is (start, stride, length) in the flat row-major buffer.
        int vectorCount, vectorStep, elementStride, length;
        if (flatten)
        {
            (vectorCount, vectorStep, elementStride, length) = (1, 0, 1, count);
        }
        else if (alongFirstDimension && context.Shape.Count > 0)
        {
            length = checked((int)context.Shape[0]);
            var stride = count / length;
            (vectorCount, vectorStep, elementStride) = (stride, 1, stride);
        }
        else
        {
            length = context.RowLength;
            (vectorCount, vectorStep, elementStride) = (count / length, length, 1);
        }

        var x0 = context.Models[0].Data.Span;
        var x1 = context.Models[1].Data.Span;
        var hasBase = context.BaseModel is not null;
        var baseValues = hasBase ? context.BaseModel!.Data.Span : default;
        var output = context.Output.Span;
        for (var v = 0; v < vectorCount; v++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = v * vectorStep;
            double dot = 0, squared0 = 0, squared1 = 0;
            for (int k = 0, i = start; k < length; k++, i += elementStride)
            {
                double origin = hasBase ? baseValues[i] : 0.0;
                var a = x0[i] - origin;
                var b = x1[i] - origin;
                dot += a * b;
                squared0 += a * a;
                squared1 += b * b;
            }

            var cosTheta = Math.Clamp(dot / Math.Max(Math.Sqrt(squared0), NormClamp) / Math.Max(Math.Sqrt(squared1), NormClamp), -1.0, 1.0);
            double c0, c1;
            if (1 - (cosTheta * cosTheta) <= ColinearSine * ColinearSine)
            {
                (c0, c1) = (1 - t, t);
            }
            else
            {
                var theta = Math.Acos(cosTheta);
                var sinTheta = Math.Sin(theta);
                (c0, c1) = (Math.Sin((1 - t) * theta) / sinTheta, Math.Sin(t * theta) / sinTheta);
            }

            for (int k = 0, i = start; k < length; k++, i += elementStride)
            {
                double origin = hasBase ? baseValues[i] : 0.0;
                output[i] = (float)(origin + (c0 * (x0[i] - origin)) + (c1 * (x1[i] - origin)));
            }
        }
    }
}
