using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medley.Host.Merging.Configuration;
using Medley.Host.Merging.Planning;
using Medley.Host.Tensors;

namespace Medley.Host.Merging.Engine;

/// <summary>The files a merged model carries beside its weights: config, tokenizer, the merge config and a model card.</summary>
internal static class MergeArtifacts
{
    /// <summary>Files copied from the tokenizer source, when present (mergekit copies the same set).</summary>
    public static readonly string[] TokenizerFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json", "merges.txt",
        "special_tokens_map.json", "added_tokens.json", "generation_config.json",
    ];

    public static void Write(SafetensorsCheckpointWriter writer, ValidatedMergeConfig validated, TensorPlan plan, SafetensorsDtype floatDtype)
    {
        var config = validated.Config;
        var reference = config.BaseModel ?? config.ReferencedModels[0];
        writer.WriteFile("config.json", Encoding.UTF8.GetBytes(UpdatedModelConfig(reference.Folder, plan, floatDtype)));

        var tokenizerSource = config.TokenizerSource is null or "base"
            ? reference
            : config.ReferencedModels.First(m => m.Name == config.TokenizerSource);
        foreach (var file in TokenizerFiles)
        {
            var path = Path.Combine(tokenizerSource.Folder, file);
            if (File.Exists(path) && !(file == "tokenizer_config.json" && ChatTemplates.Resolve(config.ChatTemplate) is not null))
            {
                writer.CopyFile(path);
            }
        }

        if (ChatTemplates.Resolve(config.ChatTemplate) is { } template)
        {
            var path = Path.Combine(tokenizerSource.Folder, "tokenizer_config.json");
            var tokenizerConfig = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
            tokenizerConfig["chat_template"] = template;
            writer.WriteFile("tokenizer_config.json", Encoding.UTF8.GetBytes(tokenizerConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
        }

        var yaml = MergeConfigYamlWriter.Write(config);
        writer.WriteFile("medley_config.yml", Encoding.UTF8.GetBytes(yaml));
        writer.WriteFile("README.md", Encoding.UTF8.GetBytes(ModelCard(validated, plan, yaml)));
    }

    private static string UpdatedModelConfig(string folder, TensorPlan plan, SafetensorsDtype floatDtype)
    {
        var path = Path.Combine(folder, "config.json");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new Sdk.MedleyException("merge.model-config.invalid", $"{path} is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new Sdk.MedleyException("merge.model-config.invalid", $"{path} is not valid JSON: {ex.Message}", innerException: ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new Sdk.MedleyException("merge.model-config.missing", $"{path} is missing: the merged model's config.json is copied from the base (or first) model.", innerException: ex);
        }

        root[plan.LayerCountKey] = plan.OutputLayerCount;
        root["torch_dtype"] = MergeDtypes.TorchName(floatDtype);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string ModelCard(ValidatedMergeConfig validated, TensorPlan plan, string yaml)
    {
        var config = validated.Config;
        var card = new StringBuilder();
        card.AppendLine("---");
        card.AppendLine("library_name: transformers");
        card.AppendLine("tags:");
        card.AppendLine("- medley");
        card.AppendLine("- merge");
        card.AppendLine("---");
        card.AppendLine(CultureInfo.InvariantCulture, $"# {config.Name ?? "Merged model"}");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"This model was merged with Medley using the **{validated.Method.Name}** method ({plan.Tensors.Count} tensors, {plan.OutputLayerCount} layers).");
        card.AppendLine();
        if (config.BaseModel is { } baseModel)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"Base model: `{baseModel.Name}`");
            card.AppendLine();
        }

        card.AppendLine("Models merged:");
        foreach (var model in config.ReferencedModels.Where(m => m.Name != config.BaseModel?.Name))
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"- `{model.Name}`");
        }

        card.AppendLine();
        card.AppendLine("## Configuration");
        card.AppendLine();
        card.AppendLine("```yaml");
        card.Append(yaml);
        if (!yaml.EndsWith('\n'))
        {
            card.AppendLine();
        }

        card.AppendLine("```");
        return card.ToString();
    }
}
