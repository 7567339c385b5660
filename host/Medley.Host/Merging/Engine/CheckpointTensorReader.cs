using Medley.Host.Tensors;
using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Engine;

/// <summary>
/// Serves a streaming merge one input tensor, reading each requested part with a positional read and converting it.
/// Unlike reads through the map, these leave the file's pages out of the process's resident memory, which would
/// otherwise grow by the size of every input model whatever the memory budget.
/// </summary>
internal sealed class CheckpointTensorReader(SafetensorsCheckpoint checkpoint, string tensorName) : ITensorChunkReader
{
    [ThreadStatic]
    private static byte[]? t_scratch;

    public void Read(int elementOffset, Span<float> destination)
    {
        var needed = destination.Length * sizeof(double);
        if (t_scratch is null || t_scratch.Length < needed)
        {
            t_scratch = new byte[Math.Max(needed, 64 * 1024)];
        }

        checkpoint.ReadAsSingleUnmapped(tensorName, elementOffset, destination, t_scratch);
    }
}
