using Medley.Sdk.Merging;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Adds noise from a shared random source instead of the tensor's seed, so reruns differ.</summary>
public sealed class NoisyMergeMethod : IMergeMethod
{
    public MergeMethodTraits Traits { get; } = new() { IsRandomized = true };

    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var output = context.Output.Span;
        var values = context.Models[0].Data.Span;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = values[i] + (float)(Random.Shared.NextDouble() * 1e-3);
        }
    }
}
