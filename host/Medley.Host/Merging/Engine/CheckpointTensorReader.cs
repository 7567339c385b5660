using Medley.Host.Tensors;
using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Engine;

/// <summary>Serves a streaming merge one input tensor, converting each requested part straight from the mapped file.</summary>
internal sealed class CheckpointTensorReader(SafetensorsCheckpoint checkpoint, string tensorName) : ITensorChunkReader
{
    public void Read(int elementOffset, Span<float> destination) => checkpoint.ReadAsSingle(tensorName, elementOffset, destination);
}
