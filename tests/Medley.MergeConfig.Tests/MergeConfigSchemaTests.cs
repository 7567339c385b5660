using System.Text.Json;
using Json.Schema;
using Medley.Host.Schemas;

namespace Medley.MergeConfig.Tests;

/// <summary>schemas/merge-config.schema.json accepts mergekit's configs and rejects malformed ones (for editors and scripts).</summary>
public sealed class MergeConfigSchemaTests
{
    private static readonly JsonSchema Schema = Load();

    [Theory]
    [InlineData("""{"merge_method": "ties", "base_model": "./base", "models": [{"model": "./a", "parameters": {"density": [1, 0.7, 0.1], "weight": [{"filter": "mlp", "value": 0.5}, {"value": 0}]}}, {"model": "./b", "parameters": {"density": 0.5, "weight": [0, 0.3, 0.7, 1]}}], "parameters": {"normalize": true, "int8_mask": true}, "dtype": "float16"}""")]
    [InlineData("""{"slices": [{"sources": [{"model": "./a", "layer_range": [0, 24]}]}, {"sources": [{"model": "./b", "layer_range": [8, 32]}]}], "merge_method": "passthrough", "dtype": "bfloat16"}""")]
    [InlineData("""{"slices": [{"sources": [{"model": "./a", "layer_range": [0, 32]}, {"model": "./b", "layer_range": [0, 32]}]}], "merge_method": "slerp", "base_model": "./a", "parameters": {"t": [{"filter": "self_attn", "value": [0, 0.5, 0.3, 0.7, 1]}, {"filter": "mlp", "value": [1, 0.5, 0.7, 0.3, 0]}, {"value": 0.5}]}, "tokenizer_source": "base", "chat_template": "chatml"}""")]
    public void Accepts_mergekit_configs(string config)
    {
        using var document = JsonDocument.Parse(config);
        Assert.Empty(JsonSchemaChecker.Evaluate(Schema, document.RootElement));
    }

    [Theory]
    [InlineData("""{"merge_method": "linear", "models": [{"model": "./a"}], "slices": [{"sources": [{"model": "./a", "layer_range": [0, 2]}]}]}""", "/")]
    [InlineData("""{"merge_method": "linear", "models": [{"model": "./a"}], "colour": "blue"}""", "/colour")]
    [InlineData("""{"merge_method": "passthrough", "slices": [{"sources": [{"model": "./a", "layer_range": [0, 2, 4]}]}]}""", "/slices/0/sources/0/layer_range")]
    [InlineData("""{"merge_method": "linear", "models": [{"model": "./a"}], "dtype": "float8"}""", "/dtype")]
    [InlineData("""{"merge_method": "ties", "models": [{"model": "./a", "parameters": {"weight": [{"filter": "mlp"}]}}]}""", "/models/0/parameters/weight")]
    [InlineData("""{"models": [{"model": "./a"}]}""", "/")]
    public void Rejects_malformed_configs_at_the_right_place(string config, string pointer)
    {
        using var document = JsonDocument.Parse(config);
        var problems = JsonSchemaChecker.Evaluate(Schema, document.RootElement);
        Assert.Contains(problems, p => p.StartsWith(pointer + ":", StringComparison.Ordinal));
    }

    private static JsonSchema Load()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Host.sln")))
        {
            folder = folder.Parent;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder!.FullName, "schemas", "merge-config.schema.json")));
        return JsonSchemaChecker.Build(document.RootElement);
    }
}
