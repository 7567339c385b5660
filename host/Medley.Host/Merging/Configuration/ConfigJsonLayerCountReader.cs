using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Merging.Configuration;

/// <summary>Reads <c>num_hidden_layers</c> (Llama family) or <c>n_layer</c> (GPT-2) from a model folder's config.json.</summary>
internal sealed class ConfigJsonLayerCountReader : IModelLayerCountReader
{
    private static readonly string[] _keys = ["num_hidden_layers", "n_layer"];

    /// <inheritdoc />
    public ModelLayerCount Read(string modelFolder)
    {
        var path = Path.Combine(modelFolder, "config.json");
        if (!File.Exists(path))
        {
            throw new MedleyException("model.config.missing", $"Model folder '{modelFolder}' has no config.json; Medley reads the layer count from it.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new MedleyException("model.config.invalid", $"'{path}' is not valid JSON: {ex.Message}", innerException: ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in _keys)
                {
                    if (document.RootElement.TryGetProperty(key, out var value))
                    {
                        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count > 0
                            ? new ModelLayerCount(count, key)
                            : throw new MedleyException("model.config.invalid", $"'{path}': '{key}' is {value.GetRawText()}; expected a positive whole number.");
                    }
                }
            }

            throw new MedleyException("model.config.invalid", $"'{path}' has neither 'num_hidden_layers' nor 'n_layer'; Medley needs the layer count.");
        }
    }
}
