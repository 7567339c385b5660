using System.Globalization;
using Medley.Host.Merging.Configuration;
using Medley.Host.Merging.Planning;

namespace Medley.MergeConfig.Tests;

/// <summary>A temp folder holding a merge config and tiny model folders (config.json only).</summary>
internal sealed class TestWorkspace : IDisposable
{
    public TestWorkspace() =>
        Root = Directory.CreateTempSubdirectory("medley-merge-config-").FullName;

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Creates a Llama-style model folder with num_hidden_layers.</summary>
    public string AddLlama(string relativePath, int layers) =>
        AddModel(relativePath, $$"""{"architectures": ["LlamaForCausalLM"], "num_hidden_layers": {{layers}}, "hidden_size": 8}""");

    /// <summary>Creates a GPT-2-style model folder with n_layer.</summary>
    public string AddGpt2(string relativePath, int layers) =>
        AddModel(relativePath, $$"""{"architectures": ["GPT2LMHeadModel"], "n_layer": {{layers}}, "n_embd": 8}""");

    public string AddModel(string relativePath, string? configJson)
    {
        var folder = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(folder);
        if (configJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        }

        return folder;
    }

    public string WriteConfig(string yaml, string fileName = "merge.yml")
    {
        var path = Path.Combine(Root, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    public ValidatedMergeConfig Load(string yaml, IMergeMethodCatalog? catalog = null) =>
        new MergeConfigLoader(catalog ?? FakeMethods.Catalog, new ConfigJsonLayerCountReader()).LoadFile(WriteConfig(yaml));

    /// <summary>Loads a config expecting it to be refused; returns the problem lines.</summary>
    public IReadOnlyList<string> Problems(string yaml, IMergeMethodCatalog? catalog = null)
    {
        var error = Assert.Throws<Medley.Sdk.MedleyException>(() => Load(yaml, catalog));
        Assert.Equal("merge.config.invalid", error.Code);
        foreach (var line in error.Details)
        {
            Assert.Contains(line, error.Message, StringComparison.Ordinal);
        }

        return error.Details;
    }

    /// <summary>Tensor names and shapes of a tiny Llama: embed, per layer q_proj / up_proj / input_layernorm, norm, lm_head.</summary>
    public static IReadOnlyDictionary<string, long[]> LlamaTensors(int layers, long vocabulary = 32)
    {
        var tensors = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [vocabulary, 8],
            ["model.norm.weight"] = [8],
            ["lm_head.weight"] = [vocabulary, 8],
        };
        for (var i = 0; i < layers; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"model.layers.{i}.");
            tensors[prefix + "self_attn.q_proj.weight"] = [8, 8];
            tensors[prefix + "mlp.up_proj.weight"] = [16, 8];
            tensors[prefix + "input_layernorm.weight"] = [8];
        }

        return tensors;
    }

    /// <summary>Tensor names of a tiny GPT-2 under the given prefix root ("transformer." or "").</summary>
    public static IReadOnlyDictionary<string, long[]> Gpt2Tensors(int layers, string root = "transformer.")
    {
        var tensors = new Dictionary<string, long[]>
        {
            [root + "wte.weight"] = [50, 8],
            [root + "wpe.weight"] = [16, 8],
            [root + "ln_f.weight"] = [8],
            [root + "ln_f.bias"] = [8],
        };
        for (var i = 0; i < layers; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{root}h.{i}.");
            tensors[prefix + "attn.c_attn.weight"] = [8, 24];
            tensors[prefix + "mlp.c_fc.weight"] = [8, 32];
            tensors[prefix + "ln_1.weight"] = [8];
        }

        return tensors;
    }

    public static TensorPlan Plan(ValidatedMergeConfig config, Func<string, IReadOnlyDictionary<string, long[]>> tensorsOf) =>
        MergePlanner.Plan(config, config.Config.ReferencedModels.ToDictionary(m => m.Name, m => tensorsOf(m.Name)));
}
