using System.Globalization;
using System.Text.Json.Nodes;
using Medley.Host.Tensors;
using Medley.Sdk;

namespace Medley.Benchmarks;

/// <summary>
/// Seeded BF16 checkpoints with Llama-7B tensor shapes (hidden 4096, intermediate 11008, vocab 32000), scaled
/// down only in layer count: a base and three fine-tunes (base plus small seeded noise, so task vectors are
/// realistic in size and sign).
/// </summary>
internal static class LlamaCheckpoints
{
    public const int Hidden = 4096;
    public const int Intermediate = 11008;
    public const int Vocab = 32000;
    public const int FineTunes = 3;

    private const int ChunkElements = 1 << 20;
    private const float BaseSpread = 0.05f;
    private const float NoiseSpread = 0.01f;

    public static long ParametersPerLayer => (4L * Hidden * Hidden) + (3L * Intermediate * Hidden) + (2L * Hidden);

    public static long ParametersOutsideLayers => (2L * Vocab * Hidden) + Hidden;

    /// <summary>
    /// Layers so that the four checkpoints come closest to <paramref name="totalGigabytes"/>; at least one,
    /// because the embeddings and lm_head alone are about 0.52 GB per checkpoint.
    /// </summary>
    public static int LayersFor(double totalGigabytes)
    {
        var perCheckpointParameters = totalGigabytes * 1e9 / (FineTunes + 1) / 2;
        return Math.Max(1, (int)Math.Round((perCheckpointParameters - ParametersOutsideLayers) / ParametersPerLayer));
    }

    public static List<(string Name, long[] Shape)> Tensors(int layers)
    {
        var tensors = new List<(string, long[])> { ("model.embed_tokens.weight", [Vocab, Hidden]) };
        for (var i = 0; i < layers; i++)
        {
            var p = string.Create(CultureInfo.InvariantCulture, $"model.layers.{i}.");
            tensors.Add((p + "input_layernorm.weight", [Hidden]));
            tensors.Add((p + "self_attn.q_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "self_attn.k_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "self_attn.v_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "self_attn.o_proj.weight", [Hidden, Hidden]));
            tensors.Add((p + "post_attention_layernorm.weight", [Hidden]));
            tensors.Add((p + "mlp.gate_proj.weight", [Intermediate, Hidden]));
            tensors.Add((p + "mlp.up_proj.weight", [Intermediate, Hidden]));
            tensors.Add((p + "mlp.down_proj.weight", [Hidden, Intermediate]));
        }

        tensors.Add(("model.norm.weight", [Hidden]));
        tensors.Add(("lm_head.weight", [Vocab, Hidden]));
        return tensors;
    }

    /// <summary>Writes base/ and model1..3/ under <paramref name="root"/> unless a previous run left them complete.</summary>
    /// <returns>The base folder and the fine-tune folders.</returns>
    public static (string Base, IReadOnlyList<string> FineTunes) Generate(string root, int layers)
    {
        var folders = new[] { "base" }.Concat(Enumerable.Range(1, FineTunes).Select(i => $"model{i}")).Select(f => Path.Combine(root, f)).ToArray();
        var marker = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"complete-{layers}-layers"));
        if (!File.Exists(marker))
        {
            foreach (var folder in folders.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }

            Parallel.For(0, folders.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => Write(folders[i], i, layers));
            File.WriteAllText(marker, "generated\n");
        }

        return (folders[0], folders[1..]);
    }

    private static void Write(string folder, int modelIndex, int layers)
    {
        var tensors = Tensors(layers);
        var plan = tensors.Select(t => new TensorPlanEntry(t.Name, SafetensorsDtype.BF16, t.Shape)).ToList();
        var values = new float[ChunkElements];
        var bits = new ushort[ChunkElements];
        using var writer = SafetensorsCheckpointWriter.Create(folder, plan, new CheckpointWriterOptions { MaxShardBytes = 2L << 30 });
        foreach (var (name, shape) in tensors)
        {
            var count = shape.Aggregate(1L, (a, b) => a * b);
            // The base stream is the same in every checkpoint, so a fine-tune is exactly base + its own noise.
            var baseRandom = new DeterministicRandom(DeterministicRandom.Derive(1234UL, name));
            var noiseRandom = new DeterministicRandom(DeterministicRandom.Derive((ulong)modelIndex, name));
            for (long start = 0; start < count; start += ChunkElements)
            {
                var length = (int)Math.Min(ChunkElements, count - start);
                Fill(values.AsSpan(0, length), baseRandom, BaseSpread);
                if (modelIndex > 0)
                {
                    AddNoise(values.AsSpan(0, length), noiseRandom, NoiseSpread);
                }

                TensorConversion.SingleToBFloat16(values.AsSpan(0, length), bits.AsSpan(0, length));
                writer.WriteTensorChunk(name, start * 2, System.Runtime.InteropServices.MemoryMarshal.AsBytes(bits.AsSpan(0, length)));
            }
        }

        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_size"] = Hidden,
            ["intermediate_size"] = Intermediate,
            ["num_attention_heads"] = 32,
            ["num_key_value_heads"] = 32,
            ["num_hidden_layers"] = layers,
            ["vocab_size"] = Vocab,
            ["rms_norm_eps"] = 1e-5,
            ["torch_dtype"] = "bfloat16",
        };
        writer.WriteFile("config.json", System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()));
        writer.Commit();
    }

    // Four 16-bit uniforms per 64-bit draw keep generation of gigabytes quick.
    private static void Fill(Span<float> values, DeterministicRandom random, float spread)
    {
        for (var i = 0; i < values.Length; i += 4)
        {
            var r = random.NextUInt64();
            for (var j = 0; j < 4 && i + j < values.Length; j++)
            {
                values[i + j] = (((r >> (16 * j)) & 0xFFFF) / 65536f - 0.5f) * 2 * spread;
            }
        }
    }

    private static void AddNoise(Span<float> values, DeterministicRandom random, float spread)
    {
        for (var i = 0; i < values.Length; i += 4)
        {
            var r = random.NextUInt64();
            for (var j = 0; j < 4 && i + j < values.Length; j++)
            {
                values[i + j] += (((r >> (16 * j)) & 0xFFFF) / 65536f - 0.5f) * 2 * spread;
            }
        }
    }
}
