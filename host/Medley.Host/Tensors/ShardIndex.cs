using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Tensors;

/// <summary>The content of <c>model.safetensors.index.json</c>: which shard file holds each tensor.</summary>
public sealed class ShardIndex
{
    private ShardIndex(IReadOnlyList<KeyValuePair<string, string>> weightMap, long? totalSize)
    {
        WeightMap = weightMap;
        TotalSize = totalSize;
    }

    /// <summary>Tensor name → shard file name, in the index's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> WeightMap { get; }

    /// <summary><c>metadata.total_size</c> when present as an integer. Informational: checkpoints in the wild disagree on what it counts, so it is not checked.</summary>
    public long? TotalSize { get; }

    /// <summary>Reads and validates an index file's JSON.</summary>
    /// <param name="path">The index file.</param>
    /// <returns>The index.</returns>
    /// <exception cref="MedleyException">When the JSON is malformed, lacks a <c>weight_map</c> object of strings, repeats a tensor, or names a shard that is not a plain file name.</exception>
    public static ShardIndex Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MedleyException(TensorErrorCodes.FileUnreadable, $"{path}: cannot read the index ({ex.Message}).", innerException: ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new MedleyException(
                TensorErrorCodes.IndexInvalid,
                $"{path}: the index is not well-formed JSON ({ex.Message}); expected {{\"metadata\": {{...}}, \"weight_map\": {{tensor: shard file}}}}.",
                innerException: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
            {
                throw new MedleyException(
                    TensorErrorCodes.IndexInvalid,
                    $"{path}: the index has no 'weight_map' object; expected {{\"metadata\": {{...}}, \"weight_map\": {{tensor: shard file}}}}.");
            }

            var entries = new List<KeyValuePair<string, string>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexInvalid,
                        $"{path}: weight_map entry for tensor '{entry.Name}' is a JSON {entry.Value.ValueKind.ToString().ToLowerInvariant()}; expected a shard file name.");
                }

                if (!seen.Add(entry.Name))
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexInvalid,
                        $"{path}: weight_map lists tensor '{entry.Name}' twice; expected each tensor once.");
                }

                var shard = entry.Value.GetString()!;
                if (shard.Length == 0 || shard is "." or ".." || shard.IndexOfAny(['/', '\\', '\0']) >= 0)
                {
                    throw new MedleyException(
                        TensorErrorCodes.IndexMissingShard,
                        $"{path}: weight_map maps tensor '{entry.Name}' to '{shard}'; expected a plain file name in the checkpoint folder.");
                }

                entries.Add(new(entry.Name, shard));
            }

            long? totalSize = null;
            if (root.TryGetProperty("metadata", out var metadata)
                && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("total_size", out var total)
                && total.ValueKind == JsonValueKind.Number
                && total.TryGetInt64(out var totalValue))
            {
                totalSize = totalValue;
            }

            return new ShardIndex(entries, totalSize);
        }
    }
}
