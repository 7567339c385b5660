using System.Text.Json;
using Medley.Host.Tensors;

namespace Medley.Runtime.Tests;

/// <summary>A small seeded Hugging Face checkpoint held in memory (weights and config) and written on demand.</summary>
public sealed class TinyCheckpoint
{
    private readonly Random _random;

    private TinyCheckpoint(int seed, Dictionary<string, object?> config)
    {
        _random = new Random(seed);
        Config = config;
    }

    public Dictionary<string, object?> Config { get; }

    public Dictionary<string, (long[] Shape, float[] Values)> Tensors { get; } = new(StringComparer.Ordinal);

    public int Vocab => Convert.ToInt32(Config["vocab_size"], System.Globalization.CultureInfo.InvariantCulture);

    public float[] this[string name] => Tensors[name].Values;

    public static TinyCheckpoint Gpt2(int seed, string prefix = "", int vocab = 64, int hidden = 32, int heads = 4, int layers = 2, int positions = 32)
    {
        var checkpoint = new TinyCheckpoint(seed, new Dictionary<string, object?>
        {
            ["model_type"] = "gpt2",
            ["architectures"] = new[] { "GPT2LMHeadModel" },
            ["vocab_size"] = vocab,
            ["n_embd"] = hidden,
            ["n_head"] = heads,
            ["n_layer"] = layers,
            ["n_positions"] = positions,
            ["layer_norm_epsilon"] = 1e-5,
            ["activation_function"] = "gelu_new",
            ["n_inner"] = null,
        });
        checkpoint.Add(prefix + "wte.weight", 0.5f, vocab, hidden);
        checkpoint.Add(prefix + "wpe.weight", 0.2f, positions, hidden);
        for (var i = 0; i < layers; i++)
        {
            var p = $"{prefix}h.{i}.";
            checkpoint.AddNorm(p + "ln_1", hidden, bias: true);
            checkpoint.Add(p + "attn.c_attn.weight", 0.3f, hidden, 3 * hidden);
            checkpoint.Add(p + "attn.c_attn.bias", 0.1f, 3 * hidden);
            checkpoint.Add(p + "attn.c_proj.weight", 0.3f, hidden, hidden);
            checkpoint.Add(p + "attn.c_proj.bias", 0.1f, hidden);
            checkpoint.AddNorm(p + "ln_2", hidden, bias: true);
            checkpoint.Add(p + "mlp.c_fc.weight", 0.3f, hidden, 4 * hidden);
            checkpoint.Add(p + "mlp.c_fc.bias", 0.1f, 4 * hidden);
            checkpoint.Add(p + "mlp.c_proj.weight", 0.2f, 4 * hidden, hidden);
            checkpoint.Add(p + "mlp.c_proj.bias", 0.1f, hidden);
        }

        checkpoint.AddNorm(prefix + "ln_f", hidden, bias: true);
        return checkpoint;
    }

    public static TinyCheckpoint Llama(
        int seed, string modelType = "llama", int vocab = 64, int hidden = 32, int heads = 4, int kvHeads = 4, int layers = 2,
        int intermediate = 48, bool tied = false, bool qkvBias = false, double ropeTheta = 10000.0)
    {
        var checkpoint = new TinyCheckpoint(seed, new Dictionary<string, object?>
        {
            ["model_type"] = modelType,
            ["vocab_size"] = vocab,
            ["hidden_size"] = hidden,
            ["num_attention_heads"] = heads,
            ["num_key_value_heads"] = kvHeads,
            ["num_hidden_layers"] = layers,
            ["intermediate_size"] = intermediate,
            ["rms_norm_eps"] = 1e-6,
            ["rope_theta"] = ropeTheta,
            ["tie_word_embeddings"] = tied,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = 128,
        });
        var headSize = hidden / heads;
        checkpoint.Add("model.embed_tokens.weight", 0.5f, vocab, hidden);
        for (var i = 0; i < layers; i++)
        {
            var p = $"model.layers.{i}.";
            checkpoint.AddNorm(p + "input_layernorm", hidden, bias: false);
            checkpoint.Add(p + "self_attn.q_proj.weight", 0.3f, heads * headSize, hidden);
            checkpoint.Add(p + "self_attn.k_proj.weight", 0.3f, kvHeads * headSize, hidden);
            checkpoint.Add(p + "self_attn.v_proj.weight", 0.3f, kvHeads * headSize, hidden);
            if (qkvBias)
            {
                checkpoint.Add(p + "self_attn.q_proj.bias", 0.2f, heads * headSize);
                checkpoint.Add(p + "self_attn.k_proj.bias", 0.2f, kvHeads * headSize);
                checkpoint.Add(p + "self_attn.v_proj.bias", 0.2f, kvHeads * headSize);
            }

            checkpoint.Add(p + "self_attn.o_proj.weight", 0.3f, hidden, heads * headSize);
            checkpoint.AddNorm(p + "post_attention_layernorm", hidden, bias: false);
            checkpoint.Add(p + "mlp.gate_proj.weight", 0.3f, intermediate, hidden);
            checkpoint.Add(p + "mlp.up_proj.weight", 0.3f, intermediate, hidden);
            checkpoint.Add(p + "mlp.down_proj.weight", 0.3f, hidden, intermediate);
        }

        checkpoint.AddNorm("model.norm", hidden, bias: false);
        if (!tied)
        {
            checkpoint.Add("lm_head.weight", 0.5f, vocab, hidden);
        }

        return checkpoint;
    }

    public int IntConfig(string name) => Convert.ToInt32(Config[name], System.Globalization.CultureInfo.InvariantCulture);

    public string Write(string folder, params string[] omit)
    {
        var kept = Tensors.Where(t => !omit.Contains(t.Key)).ToList();
        var plan = kept.Select(t => new TensorPlanEntry(t.Key, SafetensorsDtype.F32, t.Value.Shape)).ToList();
        using (var writer = SafetensorsCheckpointWriter.Create(folder, plan))
        {
            foreach (var (name, (_, values)) in kept)
            {
                writer.WriteTensor(name, values.AsSpan());
            }

            writer.WriteFile("config.json", JsonSerializer.SerializeToUtf8Bytes(Config));
            writer.WriteFile("tokenizer.json", "{\"model\":{}}"u8);
            writer.Commit();
        }

        return folder;
    }

    private void Add(string name, float scale, params long[] shape)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((_random.NextDouble() * 2 - 1) * scale);
        }

        Tensors[name] = (shape, values);
    }

    private void AddNorm(string name, int size, bool bias)
    {
        var weight = new float[size];
        for (var i = 0; i < size; i++)
        {
            weight[i] = (float)(1 + (_random.NextDouble() * 2 - 1) * 0.2);
        }

        Tensors[name + ".weight"] = ([size], weight);
        if (bias)
        {
            Add(name + ".bias", 0.1f, size);
        }
    }
}
