using System.Text.Json;
using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Runtime.Tests;

namespace Medley.Chat.Tests;

/// <summary>
/// A tiny seeded GPT-2 exported to ONNX with a real character-level tokenizer.json whose chat template is ChatML:
/// every character is one token, and <c>&lt;|im_start|&gt;</c> / <c>&lt;|im_end|&gt;</c> (the end of sequence) are
/// single added tokens, so token counts can be worked out by hand from the rendered prompt.
/// </summary>
public sealed class ChatModelFixture : IDisposable
{
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    // 62 characters plus the two ChatML markers fill the model's 64-wide vocabulary.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ \n01234567";
    private const int ImStart = 62;
    private const int ImEnd = 63;

    private readonly TempFolder _temp = new();

    public ChatModelFixture()
    {
        // 128 positions leave room for a ChatML prompt and a few dozen generated tokens.
        var hf = TinyCheckpoint.Gpt2(seed: 3, positions: 128).Write(_temp.Combine("hf"));
        var vocab = Alphabet.Select((c, i) => (c.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);
        vocab["<|im_start|>"] = ImStart;
        vocab["<|im_end|>"] = ImEnd;
        var tokenizer = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[]
            {
                new { id = ImStart, content = "<|im_start|>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true },
                new { id = ImEnd, content = "<|im_end|>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true },
            },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        };
        File.WriteAllText(Path.Combine(hf, "tokenizer.json"), JsonSerializer.Serialize(tokenizer));
        File.WriteAllText(
            Path.Combine(hf, "tokenizer_config.json"),
            JsonSerializer.Serialize(new Dictionary<string, object?> { ["eos_token"] = "<|im_end|>", ["bos_token"] = null, ["chat_template"] = ChatMlTemplate }));
        ModelPath = _temp.Combine("onnx");
        OnnxExporter.Export(hf, ModelPath);
        Model = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = ModelPath, TokenizerFactory = HfTokenizerLoader.Load });
    }

    public string ModelPath { get; }

    public OnnxCausalLanguageModel Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        _temp.Dispose();
    }
}
