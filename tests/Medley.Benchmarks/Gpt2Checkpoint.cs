using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medley.Host.Tensors;
using Medley.Sdk;

namespace Medley.Benchmarks;

/// <summary>
/// A GPT-2-small-shaped FP32 checkpoint (n_embd 768, n_head 12, vocab 50257, n_positions 1024; 12 layers give
/// GPT-2 small's 124M parameters) with seeded N(0, 0.02) weights, unit norms and zero biases as GPT-2 initialises
/// them, and a character-level tokenizer that names every one of the 50257 ids and has no EOS, so greedy decoding
/// can never stop early.
/// </summary>
internal static class Gpt2Checkpoint
{
    public const int Hidden = 768;
    public const int Heads = 12;
    public const int Vocab = 50257;
    public const int Positions = 1024;

    private const float WeightSpread = 0.02f;
    private const int ChunkElements = 1 << 20;

    // Printable ASCII first, so prompts are readable text, then consecutive code points from U+0100, which stay
    // below the surrogates (U+D800) and never hit U+FFFD, which the incremental decoder reads as a split character.
    private const int AsciiTokens = 0x7F - 0x20;

    public static string TokenText(int id) => id < AsciiTokens
        ? ((char)(0x20 + id)).ToString()
        : ((char)(0x100 + id - AsciiTokens)).ToString();

    public static int TokenId(char c) => c is >= ' ' and < (char)0x7F ? c - 0x20 : c - 0x100 + AsciiTokens;

    public static int[] Encode(string text) => text.Select(TokenId).ToArray();

    public static string Decode(IEnumerable<int> ids) => string.Concat(ids.Select(TokenText));

    public static long ParameterCount(int layers) =>
        ((long)Vocab * Hidden) + ((long)Positions * Hidden) + (layers * ParametersPerLayer) + (2L * Hidden);

    private static long ParametersPerLayer => (12L * Hidden * Hidden) + (13L * Hidden);

    public static List<(string Name, long[] Shape, float? Constant)> Tensors(int layers)
    {
        var tensors = new List<(string, long[], float?)>
        {
            ("wte.weight", [Vocab, Hidden], null),
            ("wpe.weight", [Positions, Hidden], null),
        };
        for (var i = 0; i < layers; i++)
        {
            var p = string.Create(CultureInfo.InvariantCulture, $"h.{i}.");
            tensors.Add((p + "ln_1.weight", [Hidden], 1f));
            tensors.Add((p + "ln_1.bias", [Hidden], 0f));
            tensors.Add((p + "attn.c_attn.weight", [Hidden, 3 * Hidden], null));
            tensors.Add((p + "attn.c_attn.bias", [3 * Hidden], 0f));
            tensors.Add((p + "attn.c_proj.weight", [Hidden, Hidden], null));
            tensors.Add((p + "attn.c_proj.bias", [Hidden], 0f));
            tensors.Add((p + "ln_2.weight", [Hidden], 1f));
            tensors.Add((p + "ln_2.bias", [Hidden], 0f));
            tensors.Add((p + "mlp.c_fc.weight", [Hidden, 4 * Hidden], null));
            tensors.Add((p + "mlp.c_fc.bias", [4 * Hidden], 0f));
            tensors.Add((p + "mlp.c_proj.weight", [4 * Hidden, Hidden], null));
            tensors.Add((p + "mlp.c_proj.bias", [Hidden], 0f));
        }

        tensors.Add(("ln_f.weight", [Hidden], 1f));
        tensors.Add(("ln_f.bias", [Hidden], 0f));
        return tensors;
    }

    /// <summary>Writes the checkpoint (safetensors, config.json, tokenizer.json) to <paramref name="folder"/>.</summary>
    public static void Write(string folder, int layers)
    {
        var tensors = Tensors(layers);
        var plan = tensors.Select(t => new TensorPlanEntry(t.Name, SafetensorsDtype.F32, t.Shape)).ToList();
        var values = new float[ChunkElements];
        using var writer = SafetensorsCheckpointWriter.Create(folder, plan, new CheckpointWriterOptions { MaxShardBytes = 4L << 30, Overwrite = true });
        foreach (var (name, shape, constant) in tensors)
        {
            var count = shape.Aggregate(1L, (a, b) => a * b);
            var random = new DeterministicRandom(DeterministicRandom.Derive(2024UL, name));
            for (long start = 0; start < count; start += ChunkElements)
            {
                var chunk = values.AsSpan(0, (int)Math.Min(ChunkElements, count - start));
                if (constant is { } value)
                {
                    chunk.Fill(value);
                }
                else
                {
                    FillNormal(chunk, random, WeightSpread);
                }

                writer.WriteTensorChunk(name, start * sizeof(float), MemoryMarshal.AsBytes(chunk));
            }
        }

        // No eos_token_id anywhere: the tokenizer then has no EOS and generation runs to --max-tokens.
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("GPT2LMHeadModel"),
            ["model_type"] = "gpt2",
            ["vocab_size"] = Vocab,
            ["n_embd"] = Hidden,
            ["n_head"] = Heads,
            ["n_layer"] = layers,
            ["n_positions"] = Positions,
            ["n_inner"] = null,
            ["layer_norm_epsilon"] = 1e-5,
            ["activation_function"] = "gelu_new",
            ["tie_word_embeddings"] = true,
            ["torch_dtype"] = "float32",
        };
        writer.WriteFile("config.json", Encoding.UTF8.GetBytes(config.ToJsonString()));
        var vocab = new JsonObject();
        for (var id = 0; id < Vocab; id++)
        {
            vocab[TokenText(id)] = id;
        }

        var tokenizer = new JsonObject
        {
            ["added_tokens"] = new JsonArray(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = null },
        };
        writer.WriteFile("tokenizer.json", Encoding.UTF8.GetBytes(tokenizer.ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
        writer.Commit();
    }

    // Box–Muller over the seeded stream: two normals per pair of uniforms.
    private static void FillNormal(Span<float> values, DeterministicRandom random, float standardDeviation)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1)) * standardDeviation;
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }
    }
}
