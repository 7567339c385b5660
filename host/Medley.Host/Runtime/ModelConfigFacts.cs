using System.Text.Json;

namespace Medley.Host.Runtime;

/// <summary>
/// What a <c>config.json</c> beside an ONNX model says that the graph may not: the architecture, the context
/// length, and the cache geometry when the graph leaves it symbolic.
/// </summary>
internal sealed record ModelConfigFacts(string? ModelType, int? VocabularySize, int? ContextLength, int? KeyValueHeads, int? HeadSize)
{
    public static ModelConfigFacts Read(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
        {
            return new ModelConfigFacts(null, null, null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var modelType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            var heads = Int(root, "num_attention_heads") ?? Int(root, "n_head");
            var hidden = Int(root, "hidden_size") ?? Int(root, "n_embd");
            return new ModelConfigFacts(
                modelType,
                Int(root, "vocab_size"),
                Int(root, "max_position_embeddings") ?? Int(root, "n_positions"),
                Int(root, "num_key_value_heads") ?? heads,
                Int(root, "head_dim") ?? (heads is > 0 && hidden is { } h ? h / heads : null));
        }
        catch (JsonException)
        {
            // Only consulted for facts the graph may not state; a broken config is the tokenizer loader's to report.
            return new ModelConfigFacts(null, null, null, null, null);
        }
    }

    private static int? Int(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
