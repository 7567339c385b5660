using System.Buffers;
using Medley.Sdk;

namespace Medley.Host.Tensors;

/// <summary>
/// Reads one F32, F16, BF16 or F64 tensor as float32, part by part, through positional reads of a large window of
/// bytes. Unlike reads through the map, the pages read do not count towards the process's resident memory, which
/// would otherwise grow by the size of every input model; the window turns many small parts into few system calls.
/// Fastest front to back; not safe for concurrent calls.
/// </summary>
public sealed class BufferedTensorReader : IDisposable
{
    private const int WindowBytes = 1 << 20;

    private readonly SafetensorsCheckpoint _checkpoint;
    private readonly TensorInfo _info;
    private readonly int _elementSize;
    private byte[]? _window;
    private long _windowStart;
    private int _windowLength;

    /// <summary>Prepares to read a tensor of <paramref name="checkpoint"/>.</summary>
    /// <param name="checkpoint">The checkpoint; must outlive this reader.</param>
    /// <param name="tensorName">The tensor.</param>
    /// <exception cref="MedleyException">When the tensor is missing or does not convert to float32.</exception>
    public BufferedTensorReader(SafetensorsCheckpoint checkpoint, string tensorName)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _checkpoint = checkpoint;
        _info = checkpoint.GetInfo(tensorName);
        if (!_info.Dtype.IsConvertibleToSingle())
        {
            throw new MedleyException(
                TensorErrorCodes.TensorNotConvertible,
                $"{_info.FilePath}: tensor '{tensorName}' has dtype {_info.Dtype}; only F32, F16, BF16 and F64 convert to float32 (others pass through as raw bytes).");
        }

        _elementSize = _info.Dtype.ElementSize();
    }

    /// <summary>Converts <c>destination.Length</c> elements starting at <paramref name="elementOffset"/>.</summary>
    /// <param name="elementOffset">The first element.</param>
    /// <param name="destination">Receives the values.</param>
    public void Read(long elementOffset, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_window is null && _windowLength < 0, this);
        var byteOffset = checked(elementOffset * _elementSize);
        var byteCount = checked(destination.Length * _elementSize);
        if (byteOffset < 0 || byteOffset + byteCount > _info.ByteLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(elementOffset),
                $"Elements [{elementOffset}, {elementOffset + destination.Length}) lie outside tensor '{_info.Name}' ({_info.ElementCount} elements).");
        }

        if (byteCount > WindowBytes)
        {
            var scratch = ArrayPool<byte>.Shared.Rent(byteCount);
            try
            {
                _checkpoint.ReadBytes(_info.Name, byteOffset, scratch.AsSpan(0, byteCount));
                TensorConversion.ToSingle(scratch.AsSpan(0, byteCount), _info.Dtype, destination);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            return;
        }

        if (_window is null || byteOffset < _windowStart || byteOffset + byteCount > _windowStart + _windowLength)
        {
            // Refill from the requested part on: parts are read front to back, so the rest of the window comes next.
            _window ??= ArrayPool<byte>.Shared.Rent(WindowBytes);
            _windowStart = byteOffset;
            _windowLength = (int)Math.Min(WindowBytes, _info.ByteLength - byteOffset);
            _checkpoint.ReadBytes(_info.Name, _windowStart, _window.AsSpan(0, _windowLength));
        }

        TensorConversion.ToSingle(_window.AsSpan((int)(byteOffset - _windowStart), byteCount), _info.Dtype, destination);
    }

    /// <summary>Returns the window to the pool.</summary>
    public void Dispose()
    {
        if (_window is not null)
        {
            ArrayPool<byte>.Shared.Return(_window);
            _window = null;
        }

        _windowLength = -1;
    }
}
