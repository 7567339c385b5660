using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Tensors;

/// <summary>A parsed and fully validated safetensors header.</summary>
public sealed class SafetensorsHeader
{
    /// <summary>The reserved header key that holds string metadata rather than a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    private SafetensorsHeader(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<TensorInfo> tensors)
    {
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>The <c>__metadata__</c> entries; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>
    /// Parses header JSON and checks every entry against the data section it describes: dtype known,
    /// shape of non-negative integers, byte length matching shape × element size, offsets ordered and
    /// inside the data section, and no two tensors sharing bytes. Gaps between tensors are allowed.
    /// </summary>
    /// <param name="json">The header bytes (UTF-8 JSON, possibly padded with spaces).</param>
    /// <param name="filePath">The file, for messages and for <see cref="TensorInfo.FilePath"/>.</param>
    /// <param name="dataSectionLength">Bytes after the header.</param>
    /// <returns>The validated header.</returns>
    /// <exception cref="MedleyException">On the first violation, with a code from <see cref="TensorErrorCodes"/>.</exception>
    public static SafetensorsHeader Parse(ReadOnlyMemory<byte> json, string filePath, long dataSectionLength)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new MedleyException(
                TensorErrorCodes.HeaderInvalidJson,
                $"{filePath}: the safetensors header is not well-formed UTF-8 JSON ({ex.Message}); expected a JSON object of tensor entries.",
                innerException: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MedleyException(
                    TensorErrorCodes.HeaderNotObject,
                    $"{filePath}: the safetensors header is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; expected a JSON object of tensor entries.");
            }

            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            var tensors = new List<TensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new MedleyException(
                        TensorErrorCodes.TensorDuplicateInHeader,
                        $"{filePath}: tensor '{property.Name}' appears twice in the header; expected each name once.");
                }

                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(property.Value, filePath);
                }
                else
                {
                    tensors.Add(ParseTensor(property.Name, property.Value, filePath, dataSectionLength));
                }
            }

            CheckNoOverlap(tensors, filePath);
            return new SafetensorsHeader(metadata, tensors);
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement element, string filePath)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new MedleyException(
                TensorErrorCodes.HeaderInvalidMetadata,
                $"{filePath}: '{MetadataKey}' is a JSON {element.ValueKind.ToString().ToLowerInvariant()}; expected an object of string values.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new MedleyException(
                    TensorErrorCodes.HeaderInvalidMetadata,
                    $"{filePath}: '{MetadataKey}' entry '{entry.Name}' is a JSON {entry.Value.ValueKind.ToString().ToLowerInvariant()}; expected a string.");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }

        return metadata;
    }

    private static TensorInfo ParseTensor(string name, JsonElement entry, string filePath, long dataSectionLength)
    {
        var where = $"{filePath}: tensor '{name}'";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorInvalidEntry,
                $"{where} is a JSON {entry.ValueKind.ToString().ToLowerInvariant()}; expected an object with 'dtype', 'shape' and 'data_offsets'.");
        }

        var dtype = ParseDtype(entry, where);
        var shape = ParseShape(entry, where);
        var (begin, end) = ParseOffsets(entry, where);

        long expectedBytes;
        try
        {
            expectedBytes = checked(TensorShapes.ElementCount(shape) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorInvalidShape,
                $"{where} has shape {TensorShapes.Format(shape)} whose byte size overflows 64 bits; expected a shape that fits the file.");
        }

        if (expectedBytes != end - begin)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorSizeMismatch,
                $"{where} has dtype {dtype} and shape {TensorShapes.Format(shape)}, which need {expectedBytes} bytes, but data_offsets [{begin}, {end}] span {end - begin}; expected end − begin = {expectedBytes}.");
        }

        if (end > dataSectionLength)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorOutOfBounds,
                $"{where} has data_offsets [{begin}, {end}] past the end of the data section ({dataSectionLength} bytes); expected offsets within the data section (is the file truncated?).");
        }

        return new TensorInfo(name, dtype, shape, filePath, begin, end);
    }

    private static SafetensorsDtype ParseDtype(JsonElement entry, string where)
    {
        if (!entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorInvalidEntry,
                $"{where} has no string 'dtype'; expected one of {SafetensorsDtypes.KnownNames}.");
        }

        var text = dtypeElement.GetString()!;
        if (!SafetensorsDtypes.TryParse(text, out var dtype))
        {
            throw new MedleyException(
                TensorErrorCodes.TensorUnknownDtype,
                $"{where} has unknown dtype '{text}'; expected one of {SafetensorsDtypes.KnownNames}.");
        }

        return dtype;
    }

    private static long[] ParseShape(JsonElement entry, string where)
    {
        if (!entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorInvalidShape,
                $"{where} has no 'shape' array; expected an array of non-negative integers.");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        var i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw new MedleyException(
                    TensorErrorCodes.TensorInvalidShape,
                    $"{where} has shape entry {i} = {dim.GetRawText()}; expected a non-negative integer.");
            }

            shape[i++] = value;
        }

        return shape;
    }

    private static (long Begin, long End) ParseOffsets(JsonElement entry, string where)
    {
        if (!entry.TryGetProperty("data_offsets", out var offsets)
            || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2
            || !TryGetOffset(offsets[0], out var begin)
            || !TryGetOffset(offsets[1], out var end))
        {
            var found = entry.TryGetProperty("data_offsets", out var raw) ? raw.GetRawText() : "nothing";
            throw new MedleyException(
                TensorErrorCodes.TensorInvalidOffsets,
                $"{where} has data_offsets {found}; expected [begin, end], two non-negative integers.");
        }

        if (begin > end)
        {
            throw new MedleyException(
                TensorErrorCodes.TensorInvalidOffsets,
                $"{where} has data_offsets [{begin}, {end}] with begin after end; expected begin <= end.");
        }

        return (begin, end);
    }

    private static bool TryGetOffset(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    private static void CheckNoOverlap(List<TensorInfo> tensors, string filePath)
    {
        // Empty tensors own no bytes, so they may sit anywhere, even inside another tensor's span.
        var byBegin = tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.DataBegin).ToList();
        for (var i = 1; i < byBegin.Count; i++)
        {
            var previous = byBegin[i - 1];
            var current = byBegin[i];
            if (current.DataBegin < previous.DataEnd)
            {
                throw new MedleyException(
                    TensorErrorCodes.TensorOverlap,
                    $"{filePath}: tensor '{current.Name}' (data_offsets [{current.DataBegin}, {current.DataEnd}]) overlaps tensor '{previous.Name}' (data_offsets [{previous.DataBegin}, {previous.DataEnd}]); expected each tensor to own its bytes.");
            }
        }
    }
}
