using System.Text;
using System.Text.Json;
using Medley.Host.Tensors;

namespace Medley.Tools.GpuCheck;

/// <summary>
/// A Hugging Face GPT-2 checkpoint shaped like GPT-2 small (768 wide, 12 heads, 12 layers, 50257 tokens) with seeded
/// random weights, and a character-level tokenizer.json covering every logit: greedy decoding of random weights
/// picks ids across the whole vocabulary, and each one must decode.
/// </summary>
internal static class Gpt2SmallCheckpoint
{
    public const int Vocabulary = 50257;
    public const int EndOfText = Vocabulary - 1;
    private const int Hidden = 768;
    private const int Heads = 12;
    private const int Layers = 12;
    private const int Positions = 1024;

    // Uniform in ±0.035 has GPT-2's initialisation spread (standard deviation 0.02).
    private const float WeightScale = 0.035f;

    public static string Write(string folder, int seed)
    {
        var tensors = Plan();
        var random = new Random(seed);
        using (var writer = SafetensorsCheckpointWriter.Create(folder, tensors.Select(t => new TensorPlanEntry(t.Name, SafetensorsDtype.F32, t.Shape)).ToList()))
        {
            foreach (var (name, shape, center, scale) in tensors)
            {
                var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = center + ((random.NextSingle() * 2) - 1) * scale;
                }

                writer.WriteTensor(name, values.AsSpan());
            }

            writer.WriteFile("config.json", JsonSerializer.SerializeToUtf8Bytes(Config()));
            writer.WriteFile("tokenizer.json", Tokenizer());
            writer.WriteFile("tokenizer_config.json", """{"eos_token": "<|endoftext|>"}"""u8);
            writer.Commit();
        }

        return folder;
    }

    private static Dictionary<string, object?> Config() => new()
    {
        ["model_type"] = "gpt2",
        ["architectures"] = new[] { "GPT2LMHeadModel" },
        ["vocab_size"] = Vocabulary,
        ["n_embd"] = Hidden,
        ["n_head"] = Heads,
        ["n_layer"] = Layers,
        ["n_positions"] = Positions,
        ["layer_norm_epsilon"] = 1e-5,
        ["activation_function"] = "gelu_new",
        ["n_inner"] = null,
    };

    private static List<(string Name, long[] Shape, float Center, float Scale)> Plan()
    {
        var plan = new List<(string, long[], float, float)>
        {
            ("wte.weight", [Vocabulary, Hidden], 0, WeightScale),
            ("wpe.weight", [Positions, Hidden], 0, WeightScale / 2),
        };
        for (var i = 0; i < Layers; i++)
        {
            var p = $"h.{i}.";
            plan.Add((p + "ln_1.weight", [Hidden], 1, 0.2f));
            plan.Add((p + "ln_1.bias", [Hidden], 0, 0.02f));
            plan.Add((p + "attn.c_attn.weight", [Hidden, 3 * Hidden], 0, WeightScale));
            plan.Add((p + "attn.c_attn.bias", [3 * Hidden], 0, 0.02f));
            plan.Add((p + "attn.c_proj.weight", [Hidden, Hidden], 0, WeightScale));
            plan.Add((p + "attn.c_proj.bias", [Hidden], 0, 0.02f));
            plan.Add((p + "ln_2.weight", [Hidden], 1, 0.2f));
            plan.Add((p + "ln_2.bias", [Hidden], 0, 0.02f));
            plan.Add((p + "mlp.c_fc.weight", [Hidden, 4 * Hidden], 0, WeightScale));
            plan.Add((p + "mlp.c_fc.bias", [4 * Hidden], 0, 0.02f));
            plan.Add((p + "mlp.c_proj.weight", [4 * Hidden, Hidden], 0, WeightScale));
            plan.Add((p + "mlp.c_proj.bias", [Hidden], 0, 0.02f));
        }

        plan.Add(("ln_f.weight", [Hidden], 1, 0.2f));
        plan.Add(("ln_f.bias", [Hidden], 0, 0.02f));
        return plan;
    }

    /// <summary>One token per character: printable ASCII, then code points from U+00A1 up (below the surrogates).</summary>
    private static byte[] Tokenizer()
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var codePoint = 0x20; vocab.Count < EndOfText; codePoint++)
        {
            if (codePoint is >= 0x7F and <= 0xA0)
            {
                continue;
            }

            vocab[char.ConvertFromUtf32(codePoint)] = vocab.Count;
        }

        vocab["<|endoftext|>"] = EndOfText;
        var tokenizer = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { new { id = EndOfText, content = "<|endoftext|>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        };
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(tokenizer));
    }
}
