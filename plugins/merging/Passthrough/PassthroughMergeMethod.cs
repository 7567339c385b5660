using System.Numerics.Tensors;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Passthrough;

/// <summary>
/// Passthrough, mergekit's <c>passthrough</c>: copies the single input tensor, multiplied by <c>scale</c> when given.
/// The building block of frankenmerges, where slices stack layers of one or more models.
/// </summary>
/// <remarks>
/// mergekit reads <c>scale</c> from the input model's parameters; with exactly one input a global value means the
/// same, so a per-model value is used when present and a global one otherwise.
/// </remarks>
[MedleyStrategy("passthrough")]
public sealed class PassthroughMergeMethod : IMergeMethod
{
    private const string ScaleParameter = "scale";

    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.None,
        MinModels = 1,
        MaxModels = 1,
        PerModelParameters = [ScaleParameter],
    };

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (context.Models.Count != 1)
        {
            throw new MedleyException(
                "merge.inputs.count",
                $"Tensor '{context.TensorName}': passthrough takes exactly one input, but {context.Models.Count} were given ({string.Join(", ", context.Models.Select(m => m.ModelName))}).");
        }

        var input = context.Models[0];
        var source = input.Parameters.Contains(ScaleParameter) ? input.Parameters : context.Parameters;
        double scale;
        try
        {
            scale = source.GetDouble(ScaleParameter, 1.0);
        }
        catch (MedleyException ex)
        {
            throw new MedleyException(ex.Code, $"Tensor '{context.TensorName}', model '{input.ModelName}': {ex.Message}", innerException: ex);
        }

        if (scale == 1.0)
        {
            input.Data.Span.CopyTo(context.Output.Span);
        }
        else
        {
            TensorPrimitives.Multiply(input.Data.Span, (float)scale, context.Output.Span);
        }
    }
}
