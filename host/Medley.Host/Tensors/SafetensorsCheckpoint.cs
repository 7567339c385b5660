using Medley.Sdk;

namespace Medley.Host.Tensors;

/// <summary>
/// A Hugging Face checkpoint's tensors: <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c>. Every file is mapped and validated on open; tensor bytes
/// are read lazily from the maps. Spans handed out stay valid until the checkpoint is disposed.
/// Reads are thread-safe.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    /// <summary>The file name of a single-file checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The file name of a sharded checkpoint's index.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, (SafetensorsFile File, TensorInfo Info)> _tensors;

    private SafetensorsCheckpoint(string folder, bool isSharded, List<SafetensorsFile> files, Dictionary<string, (SafetensorsFile, TensorInfo)> tensors, IReadOnlyList<string> names)
    {
        Folder = folder;
        IsSharded = isSharded;
        _files = files;
        _tensors = tensors;
        TensorNames = names;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>Whether the checkpoint was opened through an index.</summary>
    public bool IsSharded { get; }

    /// <summary>Tensor names in file order (single file) or index order (sharded).</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>The <c>__metadata__</c> of the first file (shards written together carry the same).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _files[0].Header.Metadata;

    /// <summary>The opened files, in shard order.</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>
    /// Opens the checkpoint in <paramref name="folder"/>. <c>model.safetensors</c> wins over an index when
    /// both exist, as in Hugging Face transformers.
    /// </summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <returns>The open checkpoint; dispose it to unmap its files.</returns>
    /// <exception cref="MedleyException">When the folder holds neither layout or any file or the index is invalid.</exception>
    public static SafetensorsCheckpoint Open(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var single = Path.Combine(folder, SingleFileName);
        var index = Path.Combine(folder, IndexFileName);
        if (File.Exists(single))
        {
            return OpenSingle(folder, single);
        }

        if (File.Exists(index))
        {
            return OpenSharded(folder, index);
        }

        var what = Directory.Exists(folder) ? "holds neither" : "does not exist; expected a folder with";
        throw new MedleyException(
            TensorErrorCodes.CheckpointNotFound,
            $"Checkpoint folder '{folder}' {what} '{SingleFileName}' nor '{IndexFileName}'.");
    }

    /// <summary>Whether the checkpoint holds a tensor of this name.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The description of a tensor.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>Its dtype, shape and location.</returns>
    public TensorInfo GetInfo(string name) => Find(name).Info;

    /// <summary>A tensor's raw bytes, straight from the map (no copy). Over 2 GiB, use the ranged overload.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The bytes.</returns>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var (file, info) = Find(name);
        return file.GetBytes(info, 0, SafetensorsFile.CheckedSpanLength(info));
    }

    /// <summary>A range of a tensor's raw bytes, straight from the map.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="byteOffset">Offset within the tensor.</param>
    /// <param name="byteCount">Number of bytes.</param>
    /// <returns>The bytes.</returns>
    public ReadOnlySpan<byte> GetBytes(string name, long byteOffset, int byteCount)
    {
        var (file, info) = Find(name);
        return file.GetBytes(info, byteOffset, byteCount);
    }

    /// <summary>A tensor's raw bytes as memory over the map.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>The bytes.</returns>
    public ReadOnlyMemory<byte> GetMemory(string name) => Find(name).File.GetMemory(name);

    /// <summary>Converts a whole F32, F16, BF16 or F64 tensor to float32.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="destination">Exactly <see cref="TensorInfo.ElementCount"/> long.</param>
    public void ReadAsSingle(string name, Span<float> destination)
    {
        var info = GetInfo(name);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} values but tensor '{name}' of shape {info.ShapeText} has {info.ElementCount}.",
                nameof(destination));
        }

        ReadAsSingle(name, 0, destination);
    }

    /// <summary>Converts a range of elements of an F32, F16, BF16 or F64 tensor to float32.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="elementOffset">The first element to convert.</param>
    /// <param name="destination">Receives <c>destination.Length</c> elements.</param>
    public void ReadAsSingle(string name, long elementOffset, Span<float> destination)
    {
        var (file, info) = Find(name);
        if (!info.Dtype.IsConvertibleToSingle())
        {
            throw new MedleyException(
                TensorErrorCodes.TensorNotConvertible,
                $"{info.FilePath}: tensor '{name}' has dtype {info.Dtype}; only F32, F16, BF16 and F64 convert to float32 (others pass through as raw bytes).");
        }

        var size = info.Dtype.ElementSize();
        var bytes = file.GetBytes(info, checked(elementOffset * size), checked(destination.Length * size));
        TensorConversion.ToSingle(bytes, info.Dtype, destination);
    }

    /// <summary>
    /// Converts a range of elements like <see cref="ReadAsSingle(string, long, Span{float})"/>, but reads the bytes
    /// with positional reads into <paramref name="scratch"/> instead of through the map, so that reading a whole model
    /// does not grow the process's resident memory by the model's size.
    /// </summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="elementOffset">The first element to convert.</param>
    /// <param name="destination">Receives <c>destination.Length</c> elements.</param>
    /// <param name="scratch">At least <c>destination.Length</c> times the element size.</param>
    public void ReadAsSingleUnmapped(string name, long elementOffset, Span<float> destination, Span<byte> scratch)
    {
        var (file, info) = Find(name);
        if (!info.Dtype.IsConvertibleToSingle())
        {
            throw new MedleyException(
                TensorErrorCodes.TensorNotConvertible,
                $"{info.FilePath}: tensor '{name}' has dtype {info.Dtype}; only F32, F16, BF16 and F64 convert to float32 (others pass through as raw bytes).");
        }

        var bytes = scratch[..checked(destination.Length * info.Dtype.ElementSize())];
        file.ReadBytes(info, checked(elementOffset * info.Dtype.ElementSize()), bytes);
        TensorConversion.ToSingle(bytes, info.Dtype, destination);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private (SafetensorsFile File, TensorInfo Info) Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out var found)
            ? found
            : throw new MedleyException(TensorErrorCodes.TensorNotFound, $"Checkpoint '{Folder}' has no tensor named '{name}'.");
    }

    private static SafetensorsCheckpoint OpenSingle(string folder, string path)
    {
        var file = SafetensorsFile.Open(path);
        var tensors = file.Tensors.ToDictionary(t => t.Name, t => (file, t), StringComparer.Ordinal);
        return new SafetensorsCheckpoint(folder, isSharded: false, [file], tensors, file.Tensors.Select(t => t.Name).ToList());
    }

    private static SafetensorsCheckpoint OpenSharded(string folder, string indexPath)
    {
        var index = ShardIndex.Load(indexPath);
        var files = new List<SafetensorsFile>();
        try
        {
            var byShardName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (tensor, shard) in index.WeightMap)
            {
                if (byShardName.ContainsKey(shard))
                {
                    continue;
                }

                var shardPath = Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexMissingShard,
                        $"{indexPath}: tensor '{tensor}' is mapped to shard '{shard}', which does not exist in '{folder}'; expected every shard the index names to be present.");
                }

                var file = SafetensorsFile.Open(shardPath);
                files.Add(file);
                byShardName[shard] = file;
            }

            var tensors = new Dictionary<string, (SafetensorsFile, TensorInfo)>(StringComparer.Ordinal);
            foreach (var (tensor, shard) in index.WeightMap)
            {
                var file = byShardName[shard];
                if (!file.Contains(tensor))
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexTensorMissingFromShard,
                        $"{indexPath}: tensor '{tensor}' is mapped to shard '{shard}', but {file.FilePath} has no such tensor; expected the shard to hold it.");
                }

                tensors[tensor] = (file, file.GetInfo(tensor));
            }

            CheckShardsAgainstIndex(indexPath, index, files);
            return new SafetensorsCheckpoint(folder, isSharded: true, files, tensors, index.WeightMap.Select(e => e.Key).ToList());
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    private static void CheckShardsAgainstIndex(string indexPath, ShardIndex index, List<SafetensorsFile> files)
    {
        var listed = index.WeightMap.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var holder = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var tensor in file.Tensors)
            {
                if (holder.TryGetValue(tensor.Name, out var other))
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexDuplicateTensor,
                        $"{indexPath}: tensor '{tensor.Name}' is in both {other.FilePath} and {file.FilePath}; expected each tensor in exactly one shard.");
                }

                holder[tensor.Name] = file;
                if (!listed.ContainsKey(tensor.Name))
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexTensorNotListed,
                        $"{indexPath}: {file.FilePath} holds tensor '{tensor.Name}', which the index does not list; expected the weight_map to list every tensor of every shard.");
                }
            }
        }
    }
}
