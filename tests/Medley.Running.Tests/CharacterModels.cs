using System.Text.Json;
using Medley.Host.Onnx.Export;
using Medley.Runtime.Tests;

namespace Medley.Running.Tests;

/// <summary>
/// Tiny exported GPT-2 models with real (character-level) tokenizer.json files, made once for a test class:
/// two differently seeded models that share a tokenizer, and one whose tokenizer differs.
/// </summary>
public sealed class CharacterModels : IDisposable
{
    // 63 printable characters plus an end-of-sequence token: the model's 64-wide vocabulary.
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
    public const int Eos = 63;

    public CharacterModels()
    {
        First = Make("first", seed: 3, Alphabet);
        Second = Make("second", seed: 11, Alphabet);
        // The same character set in another order: the same size, a different vocabulary.
        OtherTokenizer = Make("other", seed: 3, new string(Alphabet.Reverse().ToArray()));
    }

    public TempFolder Temp { get; } = new();

    public string First { get; }

    public string Second { get; }

    public string OtherTokenizer { get; }

    public void Dispose() => Temp.Dispose();

    private string Make(string name, int seed, string alphabet)
    {
        var hf = TinyCheckpoint.Gpt2(seed).Write(Temp.Combine(name + "-hf"));
        var vocab = alphabet.Select((c, i) => (c.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);
        vocab["<eos>"] = Eos;
        var tokenizer = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { new { id = Eos, content = "<eos>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        };
        File.WriteAllText(Path.Combine(hf, "tokenizer.json"), JsonSerializer.Serialize(tokenizer));
        File.WriteAllText(Path.Combine(hf, "tokenizer_config.json"), """{"eos_token": "<eos>"}""");
        var model = Temp.Combine(name);
        OnnxExporter.Export(hf, model);
        return model;
    }
}
