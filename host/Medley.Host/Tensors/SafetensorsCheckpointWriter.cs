using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Tensors;

/// <summary>
/// Writes a Hugging Face checkpoint: <c>model.safetensors</c>, or shards named
/// <c>model-00001-of-00003.safetensors</c> plus <c>model.safetensors.index.json</c>.
/// </summary>
/// <remarks>
/// <para>
/// The caller gives the plan (name, dtype, shape of every tensor, in output order) up front, so the
/// shard layout and every header are fixed before any data arrives; each tensor's bytes then go
/// straight to their final offset, in any order and from any thread, and nothing is held in memory
/// or copied twice. A merge knows its output tensors from its inputs' headers, so a plan costs nothing.
/// </para>
/// <para>
/// Everything is written into a hidden temporary folder beside the destination and moved into place by
/// <see cref="Commit"/>; disposing without committing deletes it. Tensors follow one another without gaps
/// (the reference safetensors library rejects gaps) and the header is padded with spaces so the data
/// section starts at a multiple of 8; tensors are therefore element-aligned whenever a shard's
/// tensors share an element size, and readers here accept unaligned tensors either way.
/// </para>
/// </remarks>
public sealed class SafetensorsCheckpointWriter : IDisposable
{
    private const int ConversionChunkElements = 1 << 20;

    private readonly Dictionary<string, PlannedTensor> _tensors;
    private readonly List<PlannedTensor> _order;
    private readonly List<Shard> _shards;
    private readonly CheckpointWriterOptions _options;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _reservedNames;
    private bool _committed;
    private bool _disposed;

    private SafetensorsCheckpointWriter(string destination, string stagingFolder, CheckpointWriterOptions options, List<PlannedTensor> order, List<Shard> shards)
    {
        Destination = destination;
        StagingFolder = stagingFolder;
        _options = options;
        _order = order;
        _shards = shards;
        _tensors = order.ToDictionary(t => t.Entry.Name, StringComparer.Ordinal);
        _reservedNames = new HashSet<string>(shards.Select(s => s.FileName), StringComparer.Ordinal) { SafetensorsCheckpoint.IndexFileName };
    }

    /// <summary>The folder the checkpoint appears in on <see cref="Commit"/>.</summary>
    public string Destination { get; }

    /// <summary>The temporary folder being written; deleted or moved to <see cref="Destination"/> at the end.</summary>
    public string StagingFolder { get; }

    /// <summary>The shard file names in order.</summary>
    public IReadOnlyList<string> ShardFileNames => _shards.Select(s => s.FileName).ToList();

    /// <summary>Sum of all tensor bytes (the index's <c>metadata.total_size</c>).</summary>
    public long TotalSize => _order.Sum(t => t.ByteLength);

    /// <summary>Plans the shards, creates the staging folder and writes every shard's header.</summary>
    /// <param name="destination">The checkpoint folder to create; its parent is created if missing.</param>
    /// <param name="plan">Every tensor, in output order.</param>
    /// <param name="options">Shard budget, metadata, overwrite; defaults when null.</param>
    /// <returns>The writer; call <see cref="Commit"/> when every tensor is written, and dispose it.</returns>
    public static SafetensorsCheckpointWriter Create(string destination, IReadOnlyList<TensorPlanEntry> plan, CheckpointWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new CheckpointWriterOptions();
        if (options.MaxShardBytes <= 0)
        {
            throw new MedleyException(
                TensorErrorCodes.WriterInvalidPlan,
                $"Shard budget {options.MaxShardBytes} bytes for '{destination}' is invalid; expected a positive number of bytes.");
        }

        var fullDestination = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        CheckDestinationFree(fullDestination, options);
        var order = ValidatePlan(plan, fullDestination);
        var shards = PlanShards(order, options.MaxShardBytes);

        var parent = Path.GetDirectoryName(fullDestination)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(fullDestination)}.medley-tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        var writer = new SafetensorsCheckpointWriter(fullDestination, staging, options, order, shards);
        try
        {
            foreach (var shard in shards)
            {
                shard.Open(staging, BuildMetadata(options));
            }
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return writer;
    }

    /// <summary>The dtype a planned tensor is written in.</summary>
    /// <param name="name">The planned tensor name.</param>
    /// <returns>Its planned dtype.</returns>
    public SafetensorsDtype GetPlannedDtype(string name) => Find(name).Entry.Dtype;

    /// <summary>Writes a whole tensor's raw bytes (already in its planned dtype).</summary>
    /// <param name="name">The planned tensor name.</param>
    /// <param name="bytes">Exactly the tensor's byte length.</param>
    public void WriteTensor(string name, ReadOnlySpan<byte> bytes)
    {
        var tensor = Find(name);
        if (bytes.Length != tensor.ByteLength)
        {
            throw new MedleyException(
                TensorErrorCodes.WriterInvalidWrite,
                $"Tensor '{name}' ({tensor.Entry.Dtype}, shape {TensorShapes.Format(tensor.Entry.Shape)}) needs {tensor.ByteLength} bytes; {bytes.Length} were given.");
        }

        WriteTensorChunk(name, 0, bytes);
    }

    /// <summary>
    /// Writes the next part of a tensor's raw bytes, for tensors too large for one span or produced row by
    /// row. Parts of one tensor must come in order; different tensors may be written concurrently.
    /// </summary>
    /// <param name="name">The planned tensor name.</param>
    /// <param name="byteOffset">Where the part starts within the tensor: the number of bytes written so far.</param>
    /// <param name="bytes">The part.</param>
    public void WriteTensorChunk(string name, long byteOffset, ReadOnlySpan<byte> bytes)
    {
        var tensor = Find(name);
        long fileOffset;
        lock (_lock)
        {
            ThrowIfFinished();
            if (byteOffset != tensor.BytesWritten)
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterInvalidWrite,
                    tensor.BytesWritten == tensor.ByteLength
                        ? $"Tensor '{name}' was already written; expected each tensor once."
                        : $"Tensor '{name}' got bytes at offset {byteOffset}; expected the next part at offset {tensor.BytesWritten}.");
            }

            if (byteOffset + bytes.Length > tensor.ByteLength)
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterInvalidWrite,
                    $"Tensor '{name}' needs {tensor.ByteLength} bytes; bytes up to offset {byteOffset + bytes.Length} were given.");
            }

            // Claim the range before writing so concurrent writers of other tensors never wait on I/O here.
            tensor.BytesWritten += bytes.Length;
            fileOffset = tensor.Shard.DataStart + tensor.DataBegin + byteOffset;
        }

        RandomAccess.Write(tensor.Shard.Handle, bytes, fileOffset);
    }

    /// <summary>Converts float32 values to the tensor's planned dtype (F32, F16, BF16 or F64, rounding to nearest even) and writes them.</summary>
    /// <param name="name">The planned tensor name.</param>
    /// <param name="values">Exactly the tensor's element count.</param>
    public void WriteTensor(string name, ReadOnlySpan<float> values)
    {
        var tensor = Find(name);
        var dtype = tensor.Entry.Dtype;
        if (!dtype.IsConvertibleToSingle())
        {
            throw new MedleyException(
                TensorErrorCodes.WriterInvalidWrite,
                $"Tensor '{name}' is planned as {dtype}; float32 values convert only to F32, F16, BF16 or F64 (write other dtypes as raw bytes).");
        }

        if (values.Length != tensor.ElementCount)
        {
            throw new MedleyException(
                TensorErrorCodes.WriterInvalidWrite,
                $"Tensor '{name}' of shape {TensorShapes.Format(tensor.Entry.Shape)} needs {tensor.ElementCount} values; {values.Length} were given.");
        }

        if (values.IsEmpty)
        {
            WriteTensorChunk(name, 0, []);
            return;
        }

        var size = dtype.ElementSize();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(values.Length, ConversionChunkElements) * size);
        try
        {
            for (var start = 0; start < values.Length; start += ConversionChunkElements)
            {
                var part = values.Slice(start, Math.Min(ConversionChunkElements, values.Length - start));
                var bytes = buffer.AsSpan(0, part.Length * size);
                TensorConversion.FromSingle(part, dtype, bytes);
                WriteTensorChunk(name, (long)start * size, bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds a non-tensor file (config.json, tokenizer files) to the checkpoint.</summary>
    /// <param name="fileName">A plain file name, not one of the shard or index names.</param>
    /// <param name="content">The file's bytes.</param>
    public void WriteFile(string fileName, ReadOnlySpan<byte> content)
    {
        var path = AuxiliaryPath(fileName);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(content);
    }

    /// <summary>Copies a non-tensor file (config.json, tokenizer files) into the checkpoint.</summary>
    /// <param name="sourcePath">The file to copy.</param>
    /// <param name="fileName">The name in the checkpoint; the source's name when null.</param>
    public void CopyFile(string sourcePath, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        File.Copy(sourcePath, AuxiliaryPath(fileName ?? Path.GetFileName(sourcePath)));
    }

    /// <summary>
    /// Checks that every tensor was written in full, flushes the shards to disk, writes the index (when
    /// there are several shards) and moves the staging folder to <see cref="Destination"/>.
    /// </summary>
    public void Commit()
    {
        lock (_lock)
        {
            ThrowIfFinished();
            var missing = _order.Where(t => t.BytesWritten != t.ByteLength).ToList();
            if (missing.Count > 0)
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterIncomplete,
                    $"Checkpoint '{Destination}' cannot be committed: {missing.Count} tensor(s) were not fully written, first '{missing[0].Entry.Name}'; expected every planned tensor.",
                    details: missing.Select(t => $"'{t.Entry.Name}': {t.BytesWritten} of {t.ByteLength} bytes").ToList());
            }

            foreach (var shard in _shards)
            {
                shard.Close(flushToDisk: true);
            }

            if (_shards.Count > 1)
            {
                File.WriteAllBytes(Path.Combine(StagingFolder, SafetensorsCheckpoint.IndexFileName), BuildIndexJson());
            }

            MoveIntoPlace();
            _committed = true;
        }
    }

    /// <summary>Closes the shards; without a <see cref="Commit"/>, deletes the staging folder and everything in it.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var shard in _shards)
            {
                shard.Close(flushToDisk: false);
            }

            if (!_committed && Directory.Exists(StagingFolder))
            {
                Directory.Delete(StagingFolder, recursive: true);
            }
        }
    }

    private static void CheckDestinationFree(string destination, CheckpointWriterOptions options)
    {
        if (!options.Overwrite && Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new MedleyException(
                TensorErrorCodes.WriterDestinationExists,
                $"Output folder '{destination}' exists and is not empty; expected a new or empty folder (or ask to overwrite).");
        }

        if (File.Exists(destination))
        {
            throw new MedleyException(
                TensorErrorCodes.WriterDestinationExists,
                $"Output path '{destination}' is a file; expected a folder path.");
        }
    }

    private static List<PlannedTensor> ValidatePlan(IReadOnlyList<TensorPlanEntry> plan, string destination)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<PlannedTensor>(plan.Count);
        foreach (var entry in plan)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (string.IsNullOrEmpty(entry.Name) || entry.Name == SafetensorsHeader.MetadataKey)
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterInvalidPlan,
                    $"Tensor name '{entry.Name}' for '{destination}' is not usable; expected a non-empty name other than '{SafetensorsHeader.MetadataKey}'.");
            }

            if (!seen.Add(entry.Name))
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterInvalidPlan,
                    $"Tensor '{entry.Name}' is planned twice for '{destination}'; expected each name once.");
            }

            if (!Enum.IsDefined(entry.Dtype) || entry.Shape is null || entry.Shape.Any(d => d < 0))
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterInvalidPlan,
                    $"Tensor '{entry.Name}' for '{destination}' has dtype {entry.Dtype} and shape {(entry.Shape is null ? "null" : TensorShapes.Format(entry.Shape))}; expected a known dtype and non-negative dimensions.");
            }

            long elements;
            long bytes;
            try
            {
                elements = TensorShapes.ElementCount(entry.Shape);
                bytes = checked(elements * entry.Dtype.ElementSize());
            }
            catch (OverflowException)
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterInvalidPlan,
                    $"Tensor '{entry.Name}' for '{destination}' has shape {TensorShapes.Format(entry.Shape)} whose size overflows 64 bits.");
            }

            order.Add(new PlannedTensor(entry, elements, bytes));
        }

        return order;
    }

    private static List<Shard> PlanShards(List<PlannedTensor> order, long maxShardBytes)
    {
        var groups = new List<List<PlannedTensor>> { new() };
        var groupBytes = 0L;
        foreach (var tensor in order)
        {
            if (groups[^1].Count > 0 && groupBytes + tensor.ByteLength > maxShardBytes)
            {
                groups.Add([]);
                groupBytes = 0;
            }

            groups[^1].Add(tensor);
            groupBytes += tensor.ByteLength;
        }

        var shards = new List<Shard>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var fileName = groups.Count == 1
                ? SafetensorsCheckpoint.SingleFileName
                : $"model-{i + 1:D5}-of-{groups.Count:D5}.safetensors";
            shards.Add(new Shard(fileName, groups[i]));
        }

        return shards;
    }

    private static Dictionary<string, string> BuildMetadata(CheckpointWriterOptions options)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        foreach (var (key, value) in options.Metadata)
        {
            metadata[key] = value;
        }

        return metadata;
    }

    private byte[] BuildIndexJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteNumber("total_size", TotalSize);
            json.WriteEndObject();
            json.WriteStartObject("weight_map");
            foreach (var tensor in _order)
            {
                json.WriteString(tensor.Entry.Name, tensor.Shard.FileName);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private void MoveIntoPlace()
    {
        if (Directory.Exists(Destination))
        {
            if (!Directory.EnumerateFileSystemEntries(Destination).Any())
            {
                Directory.Delete(Destination);
            }
            else if (_options.Overwrite)
            {
                // Move the old folder aside first so that at every moment one complete checkpoint is in place or being moved.
                var aside = Path.Combine(Path.GetDirectoryName(Destination)!, $".{Path.GetFileName(Destination)}.medley-old-{Guid.NewGuid():N}");
                Directory.Move(Destination, aside);
                Directory.Move(StagingFolder, Destination);
                Directory.Delete(aside, recursive: true);
                return;
            }
            else
            {
                throw new MedleyException(
                    TensorErrorCodes.WriterDestinationExists,
                    $"Output folder '{Destination}' appeared while writing and is not empty; expected a new or empty folder (or ask to overwrite).");
            }
        }

        Directory.Move(StagingFolder, Destination);
    }

    private string AuxiliaryPath(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        lock (_lock)
        {
            ThrowIfFinished();
        }

        if (fileName.Length == 0 || fileName is "." or ".." || fileName.IndexOfAny(['/', '\\', '\0']) >= 0 || _reservedNames.Contains(fileName))
        {
            throw new MedleyException(
                TensorErrorCodes.WriterInvalidWrite,
                $"File name '{fileName}' cannot be added to '{Destination}'; expected a plain file name other than the shard and index names.");
        }

        return Path.Combine(StagingFolder, fileName);
    }

    private PlannedTensor Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw new MedleyException(
                TensorErrorCodes.WriterInvalidWrite,
                $"Tensor '{name}' is not in the plan for '{Destination}'; expected one of the {_order.Count} planned tensors.");
    }

    private void ThrowIfFinished()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException($"Checkpoint '{Destination}' was already committed.");
        }
    }
}
