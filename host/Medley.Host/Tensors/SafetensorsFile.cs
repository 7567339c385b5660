using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Medley.Sdk;

namespace Medley.Host.Tensors;

/// <summary>
/// One safetensors file, memory-mapped read-only and validated in full on open. Tensor bytes are
/// served straight from the map (no copy); the spans stay valid until the file is disposed.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>Largest header accepted (100 MB), so a corrupt length cannot make us allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const int LengthPrefixBytes = 8;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _dataSection;
    private readonly Dictionary<string, TensorInfo> _byName;
    private readonly Dictionary<string, UnmanagedMemory> _memories = new(StringComparer.Ordinal);
    private readonly long _dataSectionFileOffset;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _readHandle;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* dataSection, long dataSectionFileOffset, SafetensorsHeader header)
    {
        FilePath = path;
        _map = map;
        _view = view;
        _dataSection = dataSection;
        _dataSectionFileOffset = dataSectionFileOffset;
        Header = header;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file's path as given to <see cref="Open"/>.</summary>
    public string FilePath { get; }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<TensorInfo> Tensors => Header.Tensors;

    /// <summary>Opens, maps and validates a safetensors file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The open file; dispose it to unmap.</returns>
    /// <exception cref="MedleyException">When the file is unreadable or any part of its header is invalid.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long fileLength;
        try
        {
            fileLength = new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MedleyException(TensorErrorCodes.FileUnreadable, $"{path}: cannot read the file ({ex.Message}).", innerException: ex);
        }

        // Mapping an empty file fails, and anything under 8 bytes lacks even the length prefix.
        if (fileLength < LengthPrefixBytes)
        {
            throw new MedleyException(
                TensorErrorCodes.FileTruncated,
                $"{path}: the file is {fileLength} bytes long; expected at least the 8-byte header length of a safetensors file.");
        }

        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        var pointerAcquired = false;
        try
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            pointerAcquired = true;
            start += view.PointerOffset;

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(start, LengthPrefixBytes));
            if (headerLength > MaxHeaderBytes)
            {
                throw new MedleyException(
                    TensorErrorCodes.HeaderTooLarge,
                    $"{path}: the header length is {headerLength} bytes; expected at most {MaxHeaderBytes} (a corrupt or non-safetensors file?).");
            }

            if ((long)headerLength > fileLength - LengthPrefixBytes)
            {
                throw new MedleyException(
                    TensorErrorCodes.HeaderBeyondFile,
                    $"{path}: the header length is {headerLength} bytes but only {fileLength - LengthPrefixBytes} bytes follow the length prefix; expected the header to lie within the file (is it truncated?).");
            }

            var headerBytes = new ReadOnlySpan<byte>(start + LengthPrefixBytes, (int)headerLength).ToArray();
            var dataSectionLength = fileLength - LengthPrefixBytes - (long)headerLength;
            var header = SafetensorsHeader.Parse(headerBytes, path, dataSectionLength);
            return new SafetensorsFile(path, map, view, start + LengthPrefixBytes + (long)headerLength, LengthPrefixBytes + (long)headerLength, header);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Release(map, view, pointerAcquired);
            throw new MedleyException(TensorErrorCodes.FileUnreadable, $"{path}: cannot map the file ({ex.Message}).", innerException: ex);
        }
        catch
        {
            Release(map, view, pointerAcquired);
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor of this name.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of a tensor.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>Its description.</returns>
    public TensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new MedleyException(TensorErrorCodes.TensorNotFound, $"{FilePath}: no tensor named '{name}'.");

    /// <summary>A tensor's raw bytes, straight from the map. Tensors over 2 GiB must be read with <see cref="GetBytes(string, long, int)"/>.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The bytes; valid until this file is disposed.</returns>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var info = GetInfo(name);
        return GetBytes(info, 0, CheckedSpanLength(info));
    }

    /// <summary>A range of a tensor's raw bytes, straight from the map.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="byteOffset">Offset within the tensor.</param>
    /// <param name="byteCount">Number of bytes.</param>
    /// <returns>The bytes; valid until this file is disposed.</returns>
    public ReadOnlySpan<byte> GetBytes(string name, long byteOffset, int byteCount) => GetBytes(GetInfo(name), byteOffset, byteCount);

    /// <summary>A tensor's raw bytes as memory over the map, for APIs that need <see cref="ReadOnlyMemory{T}"/>.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The bytes; valid until this file is disposed.</returns>
    public ReadOnlyMemory<byte> GetMemory(string name)
    {
        var info = GetInfo(name);
        var length = CheckedSpanLength(info);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_memories)
        {
            if (!_memories.TryGetValue(name, out var memory))
            {
                memory = new UnmanagedMemory(_dataSection + info.DataBegin, length);
                _memories[name] = memory;
            }

            return memory.Memory;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _readHandle?.Dispose();
        Release(_map, _view, pointerAcquired: true);
    }

    internal ReadOnlySpan<byte> GetBytes(TensorInfo info, long byteOffset, int byteCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(byteOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (byteOffset + byteCount > info.ByteLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(byteCount),
                $"Bytes [{byteOffset}, {byteOffset + byteCount}) lie outside tensor '{info.Name}' ({info.ByteLength} bytes).");
        }

        return new ReadOnlySpan<byte>(_dataSection + info.DataBegin + byteOffset, byteCount);
    }

    /// <summary>
    /// Copies a range of a tensor's bytes with positional reads rather than through the map, so that the pages read
    /// do not count towards this process's resident memory (streaming merges read whole models this way).
    /// </summary>
    internal void ReadBytes(TensorInfo info, long byteOffset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(byteOffset);
        if (byteOffset + destination.Length > info.ByteLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(destination),
                $"Bytes [{byteOffset}, {byteOffset + destination.Length}) lie outside tensor '{info.Name}' ({info.ByteLength} bytes).");
        }

        var handle = Volatile.Read(ref _readHandle);
        if (handle is null)
        {
            var opened = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read);
            handle = Interlocked.CompareExchange(ref _readHandle, opened, null) ?? opened;
            if (!ReferenceEquals(handle, opened))
            {
                opened.Dispose();
            }
        }

        var position = _dataSectionFileOffset + info.DataBegin + byteOffset;
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, position);
            if (read == 0)
            {
                throw new MedleyException(
                    TensorErrorCodes.FileTruncated,
                    $"{FilePath}: the file ended while reading tensor '{info.Name}'; expected it to be as long as when it was opened.");
            }

            destination = destination[read..];
            position += read;
        }
    }

    internal static int CheckedSpanLength(TensorInfo info) =>
        info.ByteLength <= Array.MaxLength
            ? (int)info.ByteLength
            : throw new MedleyException(
                TensorErrorCodes.TensorTooLargeForSpan,
                $"{info.FilePath}: tensor '{info.Name}' is {info.ByteLength} bytes, more than one span can hold; read it in ranges.");

    private static void Release(MemoryMappedFile? map, MemoryMappedViewAccessor? view, bool pointerAcquired)
    {
        if (view is not null && pointerAcquired)
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        view?.Dispose();
        map?.Dispose();
    }
}
