using System.Buffers;
using Medley.Host.Tensors;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Engine;

/// <summary>
/// Receives a streaming merge's output front to back, converts it to the output dtype and writes it to the
/// checkpoint in large pieces (a write per method part would cost a system call per few kilobytes).
/// </summary>
internal sealed class ConvertingTensorWriter : ITensorChunkWriter, IDisposable
{
    private const int BufferBytes = 4 << 20;

    private readonly SafetensorsCheckpointWriter _writer;
    private readonly string _tensorName;
    private readonly SafetensorsDtype _dtype;
    private readonly long _elementCount;
    private readonly int _elementSize;
    private readonly byte[] _buffer;
    private int _buffered;
    private long _bytesWritten;
    private long _elementsReceived;

    public ConvertingTensorWriter(SafetensorsCheckpointWriter writer, string tensorName, SafetensorsDtype dtype, long elementCount)
    {
        _writer = writer;
        _tensorName = tensorName;
        _dtype = dtype;
        _elementCount = elementCount;
        _elementSize = dtype.ElementSize();
        _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    }

    public void Write(ReadOnlySpan<float> values)
    {
        if (_elementsReceived + values.Length > _elementCount)
        {
            throw new MedleyException(
                "merge.method.output_overrun",
                $"Tensor '{_tensorName}': the merge method wrote more than the tensor's {_elementCount} values.");
        }

        _elementsReceived += values.Length;
        var capacity = _buffer.Length / _elementSize;
        while (!values.IsEmpty)
        {
            var take = Math.Min(values.Length, capacity - (_buffered / _elementSize));
            TensorConversion.FromSingle(values[..take], _dtype, _buffer.AsSpan(_buffered, take * _elementSize));
            _buffered += take * _elementSize;
            values = values[take..];
            if (_buffered == capacity * _elementSize)
            {
                Flush();
            }
        }
    }

    /// <summary>Writes what is buffered and checks that the method wrote every value.</summary>
    public void Complete()
    {
        Flush();
        if (_elementsReceived != _elementCount)
        {
            throw new MedleyException(
                "merge.method.output_incomplete",
                $"Tensor '{_tensorName}': the merge method wrote {_elementsReceived} of the tensor's {_elementCount} values.");
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private void Flush()
    {
        if (_buffered == 0 && _bytesWritten > 0)
        {
            return;
        }

        _writer.WriteTensorChunk(_tensorName, _bytesWritten, _buffer.AsSpan(0, _buffered));
        _bytesWritten += _buffered;
        _buffered = 0;
    }
}
