using System.Numerics.Tensors;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// Task vectors: what fine-tuning added to a base model, <c>δ = x − base</c>, element by element. The building
/// block of task arithmetic, TIES, DARE, breadcrumbs and DELLA.
/// </summary>
public static class TaskVector
{
    /// <summary>Computes <c>delta = model − baseModel</c>.</summary>
    /// <param name="model">The fine-tuned model's tensor.</param>
    /// <param name="baseModel">The base model's tensor; same length.</param>
    /// <param name="delta">Receives the task vector; same length (may be <paramref name="model"/>'s own buffer).</param>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static void Compute(ReadOnlySpan<float> model, ReadOnlySpan<float> baseModel, Span<float> delta)
    {
        if (model.Length != baseModel.Length || model.Length != delta.Length)
        {
            throw new ArgumentException($"Task vector lengths differ: model {model.Length}, base {baseModel.Length}, delta {delta.Length}.", nameof(delta));
        }

        TensorPrimitives.Subtract(model, baseModel, delta);
    }

    /// <summary>Computes <c>output = baseModel + delta</c>: applies a (mixed) task vector to a base.</summary>
    /// <param name="baseModel">The base model's tensor.</param>
    /// <param name="delta">The task vector; same length.</param>
    /// <param name="output">Receives the result; same length (may be <paramref name="delta"/>'s own buffer).</param>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static void Apply(ReadOnlySpan<float> baseModel, ReadOnlySpan<float> delta, Span<float> output)
    {
        if (delta.Length != baseModel.Length || delta.Length != output.Length)
        {
            throw new ArgumentException($"Task vector lengths differ: base {baseModel.Length}, delta {delta.Length}, output {output.Length}.", nameof(output));
        }

        TensorPrimitives.Add(baseModel, delta, output);
    }
}
