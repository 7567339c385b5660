using Medley.Host.Tensors;
using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Engine;

/// <summary>Serves a streaming merge one input tensor through a <see cref="BufferedTensorReader"/>.</summary>
internal sealed class CheckpointTensorReader(SafetensorsCheckpoint checkpoint, string tensorName) : ITensorChunkReader, IDisposable
{
    private readonly BufferedTensorReader _reader = new(checkpoint, tensorName);

    public void Read(int elementOffset, Span<float> destination) => _reader.Read(elementOffset, destination);

    public void Dispose() => _reader.Dispose();
}
