using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Medley.Host.Tensors;

/// <summary>One output shard of a writer: its tensors laid out back to back, its header, its open file.</summary>
internal sealed class Shard
{
    private const int HeaderAlignment = 8;

    private readonly IReadOnlyList<PlannedTensor> _tensors;
    private FileStream? _stream;

    public Shard(string fileName, IReadOnlyList<PlannedTensor> tensors)
    {
        FileName = fileName;
        _tensors = tensors;
        var offset = 0L;
        foreach (var tensor in tensors)
        {
            tensor.Shard = this;
            tensor.DataBegin = offset;
            offset += tensor.ByteLength;
        }

        DataLength = offset;
    }

    public string FileName { get; }

    public long DataLength { get; }

    /// <summary>File offset of the data section: the length prefix plus the padded header.</summary>
    public long DataStart { get; private set; }

    public SafeFileHandle Handle => _stream?.SafeFileHandle ?? throw new InvalidOperationException($"Shard '{FileName}' is not open.");

    /// <summary>Creates the file at its final size with its header in place; tensor bytes are filled in later.</summary>
    public void Open(string folder, IReadOnlyDictionary<string, string> metadata)
    {
        var header = BuildHeader(metadata);
        DataStart = sizeof(ulong) + header.Length;
        _stream = new FileStream(Path.Combine(folder, FileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        _stream.SetLength(DataStart + DataLength);
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        RandomAccess.Write(_stream.SafeFileHandle, prefix, 0);
        RandomAccess.Write(_stream.SafeFileHandle, header, sizeof(ulong));
    }

    public void Close(bool flushToDisk)
    {
        if (_stream is null)
        {
            return;
        }

        if (flushToDisk)
        {
            _stream.Flush(flushToDisk: true);
        }

        _stream.Dispose();
        _stream = null;
    }

    private byte[] BuildHeader(IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject(SafetensorsHeader.MetadataKey);
            foreach (var (key, value) in metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            foreach (var tensor in _tensors)
            {
                json.WriteStartObject(tensor.Entry.Name);
                json.WriteString("dtype", tensor.Entry.Dtype.ToHeaderName());
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.DataBegin);
                json.WriteNumberValue(tensor.DataBegin + tensor.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // The 8-byte prefix plus a header padded to a multiple of 8 puts the data section on an 8-byte boundary.
        while (buffer.Length % HeaderAlignment != 0)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }
}
