using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Linear;

/// <summary>
/// Linear merge, mergekit's <c>linear</c>: <c>out = Σ wᵢ·xᵢ / Σ wᵢ</c>, or the plain weighted sum <c>Σ wᵢ·xᵢ</c> when
/// <c>normalize</c> is false. It has no notion of a base: a base named in the config is merged as an ordinary input.
/// </summary>
/// <remarks>
/// A zero weight sum with <c>normalize</c> on is an error here; mergekit divides by zero and writes NaN or infinity.
/// </remarks>
[MedleyStrategy("linear")]
public sealed class LinearMergeMethod : IStreamingMergeMethod
{
    private const string WeightParameter = "weight";
    private const string NormalizeParameter = "normalize";

    // Small enough that a part of every input stays in the L2 cache.
    private const int StreamingPartLength = 8 * 1024;

    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.None,
        MinModels = 1,
        PerModelParameters = [WeightParameter],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters)
    {
        ArgumentNullException.ThrowIfNull(globalParameters);
        ArgumentNullException.ThrowIfNull(modelParameters);
        var problems = new List<string>();
        var weightSum = 0.0;
        for (var i = 0; i < modelParameters.Count; i++)
        {
            try
            {
                weightSum += ReadWeight(modelParameters[i], globalParameters, string.Create(CultureInfo.InvariantCulture, $"model {i + 1} of {modelParameters.Count}"));
            }
            catch (MedleyException ex)
            {
                problems.Add(ex.Message);
            }
        }

        try
        {
            if (problems.Count == 0 && globalParameters.GetBoolean(NormalizeParameter, true) && weightSum == 0)
            {
                problems.Add("The weights sum to 0, so the weighted average is undefined: give a non-zero total weight or set normalize to false.");
            }
        }
        catch (MedleyException ex)
        {
            problems.Add(ex.Message);
        }

        return problems;
    }

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var normalize = context.Parameters.GetBoolean(NormalizeParameter, true);
        var output = context.Output.Span;
        output.Clear();
        var weightSum = 0f;
        foreach (var input in context.Models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var weight = (float)ReadWeight(input.Parameters, context.Parameters, $"tensor '{context.TensorName}', model '{input.ModelName}'");
            TensorPrimitives.MultiplyAdd(input.Data.Span, weight, output, output);
            weightSum += weight;
        }

        if (!normalize)
        {
            return;
        }

        if (weightSum == 0f)
        {
            throw new MedleyException(
                "merge.weights.zero_sum",
                $"Tensor '{context.TensorName}': the linear weights sum to 0, so the weighted average is undefined; give a non-zero total weight or set normalize to false.");
        }

        TensorPrimitives.Divide(output, weightSum, output);
    }

    /// <inheritdoc />
    public void MergeTensorStreaming(StreamingMergeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var normalize = context.Parameters.GetBoolean(NormalizeParameter, true);
        var weights = new float[context.Models.Count];
        var weightSum = 0f;
        for (var i = 0; i < weights.Length; i++)
        {
            var input = context.Models[i];
            weights[i] = (float)ReadWeight(input.Parameters, context.Parameters, $"tensor '{context.TensorName}', model '{input.ModelName}'");
            weightSum += weights[i];
        }

        if (normalize && weightSum == 0f)
        {
            throw new MedleyException(
                "merge.weights.zero_sum",
                $"Tensor '{context.TensorName}': the linear weights sum to 0, so the weighted average is undefined; give a non-zero total weight or set normalize to false.");
        }

        var count = context.ElementCount;
        var partLength = Math.Min(StreamingPartLength, Math.Max(count, 1));
        var buffer = ArrayPool<float>.Shared.Rent(2 * partLength);
        try
        {
            // The same operations as MergeTensor, element by element, so the result is bit-identical.
            for (var start = 0; start < count; start += partLength)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var length = Math.Min(partLength, count - start);
                var output = buffer.AsSpan(0, length);
                var values = buffer.AsSpan(partLength, length);
                output.Clear();
                for (var i = 0; i < weights.Length; i++)
                {
                    context.Models[i].Data.Read(start, values);
                    TensorPrimitives.MultiplyAdd(values, weights[i], output, output);
                }

                if (normalize)
                {
                    TensorPrimitives.Divide(output, weightSum, output);
                }

                context.Output.Write(output);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static double ReadWeight(StrategyParameters model, StrategyParameters globals, string label)
    {
        var source = model.Contains(WeightParameter) ? model : globals.Contains(WeightParameter) ? globals : null;
        if (source is null)
        {
            throw new MedleyException("parameter.missing", $"{label}: merge method 'linear' needs a per-model '{WeightParameter}' (a number), but none was given.");
        }

        try
        {
            var weight = source.GetRequiredDouble(WeightParameter);
            return double.IsFinite(weight)
                ? weight
                : throw new MedleyException("parameter.invalid", $"'{WeightParameter}' must be a finite number.");
        }
        catch (MedleyException ex)
        {
            throw new MedleyException(ex.Code, $"{label}: {ex.Message}", innerException: ex);
        }
    }
}
