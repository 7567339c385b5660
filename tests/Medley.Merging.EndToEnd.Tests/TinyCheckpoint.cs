using System.Text.Json.Nodes;
using Medley.Host.Tensors;

namespace Medley.Merging.EndToEnd.Tests;

/// <summary>Writes small seeded Hugging Face checkpoints with the real tensor names of Llama and GPT-2 models.</summary>
public static class TinyCheckpoint
{
    public const int Vocab = 48;
    public const int Hidden = 16;
    public const int Intermediate = 24;

    public static string Llama(string folder, int seed, int layers = 4, SafetensorsDtype dtype = SafetensorsDtype.F32, int vocab = Vocab, long shardSize = CheckpointWriterOptions.DefaultMaxShardBytes, int intermediate = Intermediate, string? omit = null)
    {
        var tensors = new List<(string, long[])> { ("model.embed_tokens.weight", [vocab, Hidden]) };
        for (var i = 0; i < layers; i++)
        {
            var p = $"model.layers.{i}.";
            tensors.Add((p + "input_layernorm.weight", [Hidden]));
            tensors.Add((p + "self_attn.q_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "self_attn.k_proj.weight", [Hidden / 2, Hidden]));
            tensors.Add((p + "self_attn.v_proj.weight", [Hidden / 2, Hidden]));
            tensors.Add((p + "self_attn.o_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "post_attention_layernorm.weight", [Hidden]));
            tensors.Add((p + "mlp.gate_proj.weight", [intermediate, Hidden]));
            tensors.Add((p + "mlp.up_proj.weight", [intermediate, Hidden]));
            tensors.Add((p + "mlp.down_proj.weight", [Hidden, intermediate]));
        }

        tensors.Add(("model.norm.weight", [Hidden]));
        tensors.Add(("lm_head.weight", [vocab, Hidden]));
        tensors.RemoveAll(t => t.Item1 == omit);
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_size"] = Hidden,
            ["intermediate_size"] = intermediate,
            ["num_attention_heads"] = 4,
            ["num_key_value_heads"] = 2,
            ["num_hidden_layers"] = layers,
            ["vocab_size"] = vocab,
            ["rms_norm_eps"] = 1e-5,
            ["torch_dtype"] = "float32",
        };
        Write(folder, seed, tensors, config, dtype, shardSize);
        return folder;
    }

    public static string Gpt2(string folder, int seed, int layers = 3, bool prefixed = false)
    {
        var root = prefixed ? "transformer." : string.Empty;
        var tensors = new List<(string, long[])> { (root + "wte.weight", [Vocab, Hidden]), (root + "wpe.weight", [32, Hidden]) };
        for (var i = 0; i < layers; i++)
        {
            var p = $"{root}h.{i}.";
            tensors.Add((p + "ln_1.weight", [Hidden]));
            tensors.Add((p + "ln_1.bias", [Hidden]));
            tensors.Add((p + "attn.c_attn.weight", [Hidden, 3 * Hidden]));
            tensors.Add((p + "attn.c_attn.bias", [3 * Hidden]));
            tensors.Add((p + "attn.c_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "attn.c_proj.bias", [Hidden]));
            tensors.Add((p + "ln_2.weight", [Hidden]));
            tensors.Add((p + "ln_2.bias", [Hidden]));
            tensors.Add((p + "mlp.c_fc.weight", [Hidden, 4 * Hidden]));
            tensors.Add((p + "mlp.c_fc.bias", [4 * Hidden]));
            tensors.Add((p + "mlp.c_proj.weight", [4 * Hidden, Hidden]));
            tensors.Add((p + "mlp.c_proj.bias", [Hidden]));
        }

        tensors.Add((root + "ln_f.weight", [Hidden]));
        tensors.Add((root + "ln_f.bias", [Hidden]));
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("GPT2LMHeadModel"),
            ["model_type"] = "gpt2",
            ["n_embd"] = Hidden,
            ["n_head"] = 4,
            ["n_layer"] = layers,
            ["n_positions"] = 32,
            ["vocab_size"] = Vocab,
        };
        Write(folder, seed, tensors, config, SafetensorsDtype.F32, CheckpointWriterOptions.DefaultMaxShardBytes);
        return folder;
    }

    private static void Write(string folder, int seed, List<(string Name, long[] Shape)> tensors, JsonObject config, SafetensorsDtype dtype, long shardSize)
    {
        var random = new Random(seed);
        var plan = tensors.Select(t => new TensorPlanEntry(t.Name, dtype, t.Shape)).ToList();
        using (var writer = SafetensorsCheckpointWriter.Create(folder, plan, new CheckpointWriterOptions { MaxShardBytes = shardSize }))
        {
            foreach (var (name, shape) in tensors)
            {
                var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)((random.NextDouble() * 2) - 1);
                }

                writer.WriteTensor(name, values);
            }

            writer.WriteFile("config.json", System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()));
            writer.WriteFile("tokenizer_config.json", "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}"u8);
            writer.WriteFile("generation_config.json", "{\"eos_token_id\": 2}"u8);
            writer.Commit();
        }
    }

    public static float[] Read(string folder, string tensor)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        var values = new float[checkpoint.GetInfo(tensor).ElementCount];
        checkpoint.ReadAsSingle(tensor, values);
        return values;
    }
}
