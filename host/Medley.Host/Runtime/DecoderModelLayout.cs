using System.Globalization;
using System.Text.RegularExpressions;
using Medley.Sdk;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Medley.Host.Runtime;

/// <summary>
/// What a decoder ONNX model takes and returns, inferred from its input and output metadata so that models
/// Medley did not export load too.
/// </summary>
internal sealed partial class DecoderModelLayout
{
    private DecoderModelLayout(
        IReadOnlyList<string> pastNames,
        IReadOnlyList<string> presentNames,
        TensorElementType cacheType,
        int keyValueHeads,
        int headSize,
        bool hasAttentionMask,
        bool hasPositionIds,
        bool hasUseCacheBranch,
        int? logitsWidth)
    {
        PastNames = pastNames;
        PresentNames = presentNames;
        CacheType = cacheType;
        KeyValueHeads = keyValueHeads;
        HeadSize = headSize;
        HasAttentionMask = hasAttentionMask;
        HasPositionIds = hasPositionIds;
        HasUseCacheBranch = hasUseCacheBranch;
        LogitsWidth = logitsWidth;
    }

    /// <summary>past_key_values.{i}.key, .value for every layer, in layer order (key before value).</summary>
    public IReadOnlyList<string> PastNames { get; }

    /// <summary>The present.* output matching each past input.</summary>
    public IReadOnlyList<string> PresentNames { get; }

    public int LayerCount => PastNames.Count / 2;

    public TensorElementType CacheType { get; }

    public int KeyValueHeads { get; }

    public int HeadSize { get; }

    public bool HasAttentionMask { get; }

    public bool HasPositionIds { get; }

    public bool HasUseCacheBranch { get; }

    /// <summary>The vocabulary dimension of the logits when the graph fixes it.</summary>
    public int? LogitsWidth { get; }

    public static DecoderModelLayout Infer(string file, IReadOnlyDictionary<string, NodeMetadata> inputs, IReadOnlyDictionary<string, NodeMetadata> outputs, ModelConfigFacts config)
    {
        var layers = new SortedDictionary<int, (string? Key, string? Value)>();
        foreach (var name in inputs.Keys)
        {
            var match = PastPattern().Match(name);
            if (match.Success)
            {
                var layer = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                var entry = layers.GetValueOrDefault(layer);
                layers[layer] = match.Groups[2].Value == "key" ? (name, entry.Value) : (entry.Key, name);
            }
        }

        var layerCount = layers.Count == 0 ? 1 : layers.Keys.Max() + 1;
        var missingInputs = new List<string>();
        if (!inputs.ContainsKey(DecoderTensorNames.InputIds))
        {
            missingInputs.Add(DecoderTensorNames.InputIds);
        }

        for (var i = 0; i < layerCount; i++)
        {
            foreach (var key in new[] { true, false })
            {
                if (!inputs.ContainsKey(DecoderTensorNames.Past(i, key)))
                {
                    missingInputs.Add(DecoderTensorNames.Past(i, key));
                }
            }
        }

        var missingOutputs = new List<string>();
        if (!outputs.ContainsKey(DecoderTensorNames.Logits))
        {
            missingOutputs.Add(DecoderTensorNames.Logits);
        }

        if (missingInputs.Count == 0)
        {
            for (var i = 0; i < layerCount; i++)
            {
                foreach (var key in new[] { true, false })
                {
                    if (!outputs.ContainsKey(DecoderTensorNames.Present(i, key)))
                    {
                        missingOutputs.Add(DecoderTensorNames.Present(i, key));
                    }
                }
            }
        }

        if (missingInputs.Count > 0 || missingOutputs.Count > 0)
        {
            var problems = missingInputs.Select(n => $"input '{n}'").Concat(missingOutputs.Select(n => $"output '{n}'")).ToList();
            throw new MedleyException(
                OnnxRuntimeErrorCodes.NotDecoder,
                $"{file} is not a KV-cache decoder in the Optimum layout: it lacks {string.Join(", ", problems)} "
                + $"(it has inputs {string.Join(", ", inputs.Keys)}; outputs {string.Join(", ", outputs.Keys)}).",
                details: problems);
        }

        var pastNames = new List<string>();
        var presentNames = new List<string>();
        for (var i = 0; i < layerCount; i++)
        {
            foreach (var key in new[] { true, false })
            {
                pastNames.Add(DecoderTensorNames.Past(i, key));
                presentNames.Add(DecoderTensorNames.Present(i, key));
            }
        }

        var first = inputs[pastNames[0]];
        var dims = first.Dimensions;

        // Graphs normally fix kv_heads and head_dim; when they leave them symbolic, config.json says.
        var keyValueHeads = dims.Length == 4 && dims[1] > 0 ? dims[1] : config.KeyValueHeads;
        var headSize = dims.Length == 4 && dims[3] > 0 ? dims[3] : config.HeadSize;
        if (dims.Length != 4 || keyValueHeads is null || headSize is null)
        {
            throw new MedleyException(
                OnnxRuntimeErrorCodes.NotDecoder,
                $"{file}: input '{pastNames[0]}' has shape [{string.Join(", ", first.SymbolicDimensions.Zip(dims, (s, d) => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : s))}]; "
                + "expected [batch, kv_heads, past, head_dim] with kv_heads and head_dim fixed by the graph or given by config.json.");
        }

        var logitsMetadata = outputs[DecoderTensorNames.Logits];
        foreach (var (name, type) in new[] { (pastNames[0], first.ElementDataType), (DecoderTensorNames.Logits, logitsMetadata.ElementDataType) })
        {
            if (type is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.BFloat16))
            {
                throw new MedleyException(
                    OnnxRuntimeErrorCodes.NotDecoder,
                    $"{file}: '{name}' has element type {type}; expected float, float16 or bfloat16.");
            }
        }

        var logits = logitsMetadata.Dimensions;
        return new DecoderModelLayout(
            pastNames,
            presentNames,
            first.ElementDataType,
            keyValueHeads.Value,
            headSize.Value,
            inputs.ContainsKey(DecoderTensorNames.AttentionMask),
            inputs.ContainsKey(DecoderTensorNames.PositionIds),
            inputs.ContainsKey(DecoderTensorNames.UseCacheBranch),
            logits.Length == 3 && logits[2] > 0 ? logits[2] : null);
    }

    [GeneratedRegex(@"^past_key_values\.(\d+)\.(key|value)$", RegexOptions.CultureInvariant)]
    private static partial Regex PastPattern();
}
