using System.Text.Json.Nodes;
using Medley.Host.Tensors;

namespace Medley.Merging.EndToEnd.Tests;

/// <summary>
/// Tiny Llama- and GPT-2-shaped checkpoints merged through the real CLI with configs in mergekit's format,
/// checked tensor by tensor against independent computations.
/// </summary>
public sealed class MergeThroughCliTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Linear_merge_is_the_weighted_mean_of_every_tensor()
    {
        TinyCheckpoint.Llama(_ws.PathOf("a"), 1);
        TinyCheckpoint.Llama(_ws.PathOf("b"), 2);
        var config = _ws.WriteConfig("""
            merge_method: linear
            models:
              - model: ./a
                parameters: { weight: 1.0 }
              - model: ./b
                parameters: { weight: 3.0 }
            dtype: float32
            """);

        await MergeOk(config, "out");

        using var a = SafetensorsCheckpoint.Open(_ws.PathOf("a"));
        foreach (var name in a.TensorNames)
        {
            var x = TinyCheckpoint.Read(_ws.PathOf("a"), name);
            var y = TinyCheckpoint.Read(_ws.PathOf("b"), name);
            var expected = x.Select((v, i) => (v + (3.0 * y[i])) / 4.0).ToArray();
            References.AssertClose(expected, TinyCheckpoint.Read(_ws.PathOf("out"), name), 1e-6, name);
        }
    }

    [Fact]
    public async Task Task_arithmetic_resolves_gradients_and_filters_per_layer()
    {
        TinyCheckpoint.Llama(_ws.PathOf("base"), 10);
        TinyCheckpoint.Llama(_ws.PathOf("ft1"), 11);
        TinyCheckpoint.Llama(_ws.PathOf("ft2"), 12);
        var config = _ws.WriteConfig("""
            merge_method: task_arithmetic
            base_model: ./base
            models:
              - model: ./ft1
                parameters:
                  weight:
                    - filter: mlp
                      value: [0.2, 0.8]
                    - value: 0.5
              - model: ./ft2
                parameters:
                  weight: 0.25
            parameters:
              lambda: 0.9
            dtype: float32
            """);

        await MergeOk(config, "out");

        // Four layers: the gradient [0.2, 0.8] gives 0.2 + 0.6·i/3 at layer i for mlp tensors.
        foreach (var (tensor, weight) in new[]
                 {
                     ("model.layers.0.mlp.up_proj.weight", 0.2),
                     ("model.layers.2.mlp.down_proj.weight", 0.6),
                     ("model.layers.3.mlp.gate_proj.weight", 0.8),
                     ("model.layers.1.self_attn.q_proj.weight", 0.5),
                     ("model.embed_tokens.weight", 0.5),
                 })
        {
            var expected = References.TaskArithmetic(
                TinyCheckpoint.Read(_ws.PathOf("base"), tensor),
                [(TinyCheckpoint.Read(_ws.PathOf("ft1"), tensor), weight), (TinyCheckpoint.Read(_ws.PathOf("ft2"), tensor), 0.25)],
                0.9);
            References.AssertClose(expected, TinyCheckpoint.Read(_ws.PathOf("out"), tensor), 1e-5, tensor);
        }
    }

    [Fact]
    public async Task Ties_with_density_gradients_and_weight_filters_matches_an_independent_ties()
    {
        TinyCheckpoint.Llama(_ws.PathOf("base"), 20);
        TinyCheckpoint.Llama(_ws.PathOf("a"), 21);
        TinyCheckpoint.Llama(_ws.PathOf("b"), 22);
        var config = _ws.WriteConfig("""
            models:
              - model: ./a
                parameters:
                  density: [0.9, 0.3]
                  weight:
                    - filter: mlp
                      value: 0.7
                    - value: 0.4
              - model: ./b
                parameters:
                  density: 0.55
                  weight: 0.5
            merge_method: ties
            base_model: ./base
            parameters:
              normalize: true
            dtype: float32
            """);

        await MergeOk(config, "out");

        // Layer 1 of 4 sits at t = 1/3: density 0.9 − 0.6/3 = 0.7. Embeddings take the first anchor, lm_head the last.
        foreach (var (tensor, densityA, weightA) in new[]
                 {
                     ("model.layers.1.mlp.up_proj.weight", 0.7, 0.7),
                     ("model.layers.1.self_attn.q_proj.weight", 0.7, 0.4),
                     ("model.embed_tokens.weight", 0.9, 0.4),
                     ("lm_head.weight", 0.3, 0.4),
                 })
        {
            var expected = References.Ties(
                TinyCheckpoint.Read(_ws.PathOf("base"), tensor),
                [(TinyCheckpoint.Read(_ws.PathOf("a"), tensor), weightA, densityA), (TinyCheckpoint.Read(_ws.PathOf("b"), tensor), 0.5, 0.55)]);
            References.AssertClose(expected, TinyCheckpoint.Read(_ws.PathOf("out"), tensor), 1e-5, tensor);
        }
    }

    [Fact]
    public async Task Passthrough_frankenmerge_stacks_overlapping_slices_and_renumbers_layers()
    {
        TinyCheckpoint.Llama(_ws.PathOf("a"), 30);
        var config = _ws.WriteConfig("""
            slices:
              - sources:
                  - model: ./a
                    layer_range: [0, 3]
              - sources:
                  - model: ./a
                    layer_range: [1, 4]
            merge_method: passthrough
            dtype: float32
            """);

        await MergeOk(config, "out");

        var outputConfig = JsonNode.Parse(File.ReadAllText(_ws.PathOf("out/config.json")))!;
        Assert.Equal(6, outputConfig["num_hidden_layers"]!.GetValue<int>());
        foreach (var (outputLayer, sourceLayer) in new[] { (0, 0), (2, 2), (3, 1), (4, 2), (5, 3) })
        {
            foreach (var part in new[] { "self_attn.q_proj.weight", "mlp.down_proj.weight", "input_layernorm.weight" })
            {
                Assert.Equal(
                    TinyCheckpoint.Read(_ws.PathOf("a"), $"model.layers.{sourceLayer}.{part}"),
                    TinyCheckpoint.Read(_ws.PathOf("out"), $"model.layers.{outputLayer}.{part}"));
            }
        }

        using var output = SafetensorsCheckpoint.Open(_ws.PathOf("out"));
        Assert.Equal((6 * 9) + 3, output.TensorNames.Count);
        Assert.Equal(TinyCheckpoint.Read(_ws.PathOf("a"), "model.embed_tokens.weight"), TinyCheckpoint.Read(_ws.PathOf("out"), "model.embed_tokens.weight"));
    }

    [Fact]
    public async Task Gpt2_gradient_slerp_follows_the_filtered_t_per_layer()
    {
        TinyCheckpoint.Gpt2(_ws.PathOf("g1"), 40);
        TinyCheckpoint.Gpt2(_ws.PathOf("g2"), 41);
        var config = _ws.WriteConfig("""
            slices:
              - sources:
                  - model: ./g1
                    layer_range: [0, 3]
                  - model: ./g2
                    layer_range: [0, 3]
            merge_method: slerp
            base_model: ./g1
            parameters:
              t:
                - filter: attn
                  value: [0, 0.5, 1]
                - filter: mlp
                  value: [1, 0.5, 0]
                - value: 0.5
            dtype: float32
            """);

        await MergeOk(config, "out");

        foreach (var (tensor, t) in new[]
                 {
                     ("h.0.attn.c_attn.weight", 0.0),
                     ("h.1.attn.c_attn.weight", 0.5),
                     ("h.2.attn.c_proj.weight", 1.0),
                     ("h.0.mlp.c_fc.weight", 1.0),
                     ("h.2.mlp.c_proj.bias", 0.0),
                     ("h.1.ln_1.weight", 0.5),
                     ("wte.weight", 0.5),
                 })
        {
            var expected = References.Slerp(TinyCheckpoint.Read(_ws.PathOf("g1"), tensor), TinyCheckpoint.Read(_ws.PathOf("g2"), tensor), t);
            References.AssertClose(expected, TinyCheckpoint.Read(_ws.PathOf("out"), tensor), 1e-5, tensor);
        }

        Assert.Equal(3, JsonNode.Parse(File.ReadAllText(_ws.PathOf("out/config.json")))!["n_layer"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sharded_bfloat16_output_rounds_every_value_to_nearest_even_and_round_trips()
    {
        TinyCheckpoint.Llama(_ws.PathOf("a"), 50, shardSize: 4_000);
        Assert.True(File.Exists(_ws.PathOf("a/model.safetensors.index.json")), "the input itself should be sharded");
        var config = _ws.WriteConfig("""
            merge_method: linear
            models:
              - model: ./a
                parameters: { weight: 1.0 }
            out_dtype: bfloat16
            """);

        await MergeOk(config, "out", "--shard-size", "4KB");

        using var output = SafetensorsCheckpoint.Open(_ws.PathOf("out"));
        Assert.True(output.IsSharded);
        Assert.True(Directory.GetFiles(_ws.PathOf("out"), "model-*-of-*.safetensors").Length > 3);
        var index = JsonNode.Parse(File.ReadAllText(_ws.PathOf("out/model.safetensors.index.json")))!;
        Assert.Equal(output.TensorNames.Sum(n => output.GetInfo(n).ByteLength), index["metadata"]!["total_size"]!.GetValue<long>());
        foreach (var name in output.TensorNames)
        {
            Assert.Equal(SafetensorsDtype.BF16, output.GetInfo(name).Dtype);
            var source = TinyCheckpoint.Read(_ws.PathOf("a"), name);
            var bytes = output.GetBytes(name);
            for (var i = 0; i < source.Length; i++)
            {
                Assert.Equal(References.ToBFloat16(source[i]), BitConverter.ToUInt16(bytes.Slice(2 * i, 2)));
            }
        }

        Assert.Equal("bfloat16", JsonNode.Parse(File.ReadAllText(_ws.PathOf("out/config.json")))!["torch_dtype"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dare_is_bit_identical_for_a_seed_whatever_the_thread_count_and_differs_for_another_seed()
    {
        TinyCheckpoint.Llama(_ws.PathOf("base"), 60);
        TinyCheckpoint.Llama(_ws.PathOf("a"), 61);
        TinyCheckpoint.Llama(_ws.PathOf("b"), 62);
        var config = _ws.WriteConfig("""
            merge_method: dare_ties
            base_model: ./base
            models:
              - model: ./a
                parameters: { weight: 0.6, density: 0.5 }
              - model: ./b
                parameters: { weight: 0.4, density: 0.3 }
            dtype: float32
            """);

        await MergeOk(config, "one", "--seed", "7", "--threads", "1");
        await MergeOk(config, "two", "--seed", "7", "--threads", "2");
        await MergeOk(config, "other", "--seed", "8", "--threads", "2");

        Assert.Equal(File.ReadAllBytes(_ws.PathOf("one/model.safetensors")), File.ReadAllBytes(_ws.PathOf("two/model.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(_ws.PathOf("one/model.safetensors")), File.ReadAllBytes(_ws.PathOf("other/model.safetensors")));
    }

    [Fact]
    public async Task The_output_folder_carries_config_tokenizer_files_the_merge_config_and_a_model_card()
    {
        TinyCheckpoint.Llama(_ws.PathOf("base"), 70);
        TinyCheckpoint.Llama(_ws.PathOf("a"), 71);
        var config = _ws.WriteConfig("""
            merge_method: task_arithmetic
            base_model: ./base
            models:
              - model: ./a
                parameters: { weight: 1.0 }
            chat_template: chatml
            name: tiny-merge
            """);

        var report = await MergeOk(config, "out");

        Assert.Contains("\"method\": \"task_arithmetic\"", report.Stdout, StringComparison.Ordinal);
        var files = Directory.GetFiles(_ws.PathOf("out")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["README.md", "config.json", "generation_config.json", "medley_config.yml", "model.safetensors", "tokenizer_config.json"], files);
        var tokenizerConfig = JsonNode.Parse(File.ReadAllText(_ws.PathOf("out/tokenizer_config.json")))!;
        Assert.Contains("<|im_start|>", tokenizerConfig["chat_template"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("</s>", tokenizerConfig["eos_token"]!.GetValue<string>());
        var card = File.ReadAllText(_ws.PathOf("out/README.md"));
        Assert.Contains("# tiny-merge", card, StringComparison.Ordinal);
        Assert.Contains("**task_arithmetic**", card, StringComparison.Ordinal);
        var yaml = File.ReadAllText(_ws.PathOf("out/medley_config.yml"));
        Assert.Contains("merge_method: task_arithmetic", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetDirectories(_ws.Root), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Embeddings_of_different_vocabulary_sizes_merge_on_the_common_rows_and_keep_the_base_shape()
    {
        TinyCheckpoint.Llama(_ws.PathOf("base"), 80, vocab: 48);
        TinyCheckpoint.Llama(_ws.PathOf("a"), 81, vocab: 52);
        var config = _ws.WriteConfig("""
            merge_method: task_arithmetic
            base_model: ./base
            models:
              - model: ./a
                parameters: { weight: 1.0 }
            dtype: float32
            """);

        await MergeOk(config, "out");

        var merged = TinyCheckpoint.Read(_ws.PathOf("out"), "model.embed_tokens.weight");
        var expected = TinyCheckpoint.Read(_ws.PathOf("a"), "model.embed_tokens.weight").Take(48 * TinyCheckpoint.Hidden).ToArray();
        Assert.Equal(48 * TinyCheckpoint.Hidden, merged.Length);
        References.AssertClose(expected.Select(v => (double)v).ToArray(), merged, 1e-6, "embed_tokens");
    }

    private async Task<Medley> MergeOk(string config, string output, params string[] extra)
    {
        var run = await Medley.RunAsync(["merge", config, "-o", _ws.PathOf(output), "--json", .. extra]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        return run;
    }
}
