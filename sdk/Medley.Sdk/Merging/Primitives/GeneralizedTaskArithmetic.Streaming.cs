using System.Buffers;

namespace Medley.Sdk.Merging.Primitives;

/// <content>The streaming form of the merge: the same arithmetic on cache-sized parts of the tensor.</content>
public sealed partial class GeneralizedTaskArithmetic
{
    // A multiple of 64 (one word of a random-drop mask) small enough that a part of every input stays in the L2 cache.
    private const int StreamingPartLength = 8 * 1024;

    /// <summary>
    /// Merges one tensor part by part, bit-identical to <see cref="MergeTensor"/>. Magnitude and random sparsifiers
    /// first scan the whole task vector (histogram of magnitudes, random mask, L1 norms), then every part is
    /// sparsified, combined and written; the other sparsifiers read the whole tensor.
    /// </summary>
    /// <param name="context">Inputs, parameters and output.</param>
    /// <param name="cancellationToken">Checked between parts.</param>
    /// <exception cref="MedleyException">When the base is missing or a parameter is missing or out of range.</exception>
    public void MergeTensorStreaming(StreamingMergeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.BaseModel ?? throw new MedleyException(
            "merge.base_model.missing",
            $"Merge method '{MethodName}' needs a base_model, but tensor '{context.TensorName}' has none.");
        var globals = ReadGlobals(context.Parameters, context.TensorName);
        var models = new ModelSettings[context.Models.Count];
        for (var i = 0; i < models.Length; i++)
        {
            var input = context.Models[i];
            models[i] = ReadModel(input.Parameters, context.Parameters, $"tensor '{context.TensorName}', model '{input.ModelName}'");
        }

        var sparsifies = Sparsification != SparsificationMethod.None && models.Any(m => m.Density < 1);
        if (sparsifies && Sparsification is not (SparsificationMethod.Magnitude or SparsificationMethod.Random))
        {
            var whole = context.Materialize();
            MergeTensor(whole, cancellationToken);
            context.WriteOutput(whole);
            return;
        }

        var count = context.ElementCount;
        var partLength = Math.Min(StreamingPartLength, Math.Max(count, 1));
        var sparsifiers = new StreamingSparsifier?[models.Length];
        if (sparsifies)
        {
            var rescale = globals.Rescale ? RescaleMode : SparsificationRescale.None;
            for (var i = 0; i < models.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (models[i].Density >= 1)
                {
                    continue;
                }

                var forEachPart = TaskVectorParts(context.Models[i].Data, baseInput.Data, count, partLength, cancellationToken);
                sparsifiers[i] = Sparsification == SparsificationMethod.Magnitude
                    ? StreamingSparsifier.ByMagnitude(count, models[i].Density, rescale, forEachPart)
                    : StreamingSparsifier.ByRandomDrop(count, models[i].Density, rescale, context.CreateRandom(i), forEachPart);
            }
        }

        var weights = models.Select(m => m.Weight).ToArray();
        var buffer = ArrayPool<float>.Shared.Rent(partLength * (models.Length + 2));
        try
        {
            var deltas = new ReadOnlyMemory<float>[models.Length];
            for (var start = 0; start < count; start += partLength)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var length = Math.Min(partLength, count - start);
                var baseValues = buffer.AsSpan(0, length);
                var output = buffer.AsSpan(partLength, length);
                baseInput.Data.Read(start, baseValues);
                for (var i = 0; i < models.Length; i++)
                {
                    var delta = buffer.AsMemory((i + 2) * partLength, length);
                    context.Models[i].Data.Read(start, delta.Span);
                    TaskVector.Compute(delta.Span, baseValues, delta.Span);
                    sparsifiers[i]?.Apply(delta.Span, start);
                    deltas[i] = delta;
                }

                TaskVectorCombiner.Combine(baseValues, deltas, weights, Consensus, globals.Normalize, globals.Lambda, output);
                context.Output.Write(output);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    // Produces δ = model − base part by part into one reused buffer, each time the sparsifier asks.
    private static Action<SpanVisitor> TaskVectorParts(ITensorChunkReader model, ITensorChunkReader baseModel, int count, int partLength, CancellationToken cancellationToken) =>
        visitor =>
        {
            var buffer = ArrayPool<float>.Shared.Rent(2 * partLength);
            try
            {
                for (var start = 0; start < count; start += partLength)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var length = Math.Min(partLength, count - start);
                    var delta = buffer.AsSpan(0, length);
                    var baseValues = buffer.AsSpan(partLength, length);
                    model.Read(start, delta);
                    baseModel.Read(start, baseValues);
                    TaskVector.Compute(delta, baseValues, delta);
                    visitor(delta);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        };
}
