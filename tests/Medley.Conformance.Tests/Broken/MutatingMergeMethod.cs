using System.Runtime.InteropServices;
using Medley.Sdk.Merging;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Averages correctly but scales its first input in place on the way, a bug the kit must catch.</summary>
public sealed class MutatingMergeMethod : IMergeMethod
{
    public MergeMethodTraits Traits { get; } = new();

    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var output = context.Output.Span;
        output.Clear();
        foreach (var model in context.Models)
        {
            var values = model.Data.Span;
            for (var i = 0; i < output.Length; i++)
            {
                output[i] += values[i] / context.Models.Count;
            }
        }

        // Reusing an input as scratch space: the host's tensors are shared, so this corrupts later merges.
        MemoryMarshal.AsMemory(context.Models[0].Data).Span[0] *= 2;
    }
}
