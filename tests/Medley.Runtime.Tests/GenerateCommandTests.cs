using System.Text.Json;
using System.Text.Json.Nodes;
using Medley.Cli;
using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Sdk.Models;

namespace Medley.Runtime.Tests;

/// <summary><c>medley generate</c> on an exported tiny model with a real (character-level) tokenizer.json.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    // 63 printable characters plus an end-of-sequence token: the model's 64-wide vocabulary.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
    private readonly TempFolder _temp = new();
    private readonly string _model;

    public GenerateCommandTests()
    {
        var hf = TinyCheckpoint.Gpt2(seed: 3).Write(_temp.Combine("hf"));
        var vocab = Alphabet.Select((c, i) => (c.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);
        vocab["<eos>"] = 63;
        var tokenizer = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { new { id = 63, content = "<eos>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        };
        File.WriteAllText(Path.Combine(hf, "tokenizer.json"), JsonSerializer.Serialize(tokenizer));
        File.WriteAllText(Path.Combine(hf, "tokenizer_config.json"), """{"eos_token": "<eos>"}""");
        _model = _temp.Combine("onnx");
        OnnxExporter.Export(hf, _model);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Greedy_generation_is_the_argmax_chain_of_the_model()
    {
        var run = await Medley("generate", "--model", _model, "--prompt", "hello", "--temperature", "0", "--max-tokens", "12", "--json");

        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(await GreedyByHand("hello", 12), json["text"]!.GetValue<string>());
        Assert.Equal(5, json["statistics"]!["promptTokens"]!.GetValue<int>());
        Assert.Equal("cpu:0", json["statistics"]!["device"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seeded_sampling_is_reproducible_and_the_seed_matters()
    {
        var first = await Medley("generate", "--model", _model, "--prompt", "abc", "--temperature", "1.5", "--seed", "42", "--max-tokens", "30", "--json");
        var second = await Medley("generate", "--model", _model, "--prompt", "abc", "--temperature", "1.5", "--seed", "42", "--max-tokens", "30", "--json");
        var other = await Medley("generate", "--model", _model, "--prompt", "abc", "--temperature", "1.5", "--seed", "43", "--max-tokens", "30", "--json");

        Assert.True(first.Code == 0, first.Stderr);
        var text = JsonNode.Parse(first.Stdout)!["text"]!.GetValue<string>();
        Assert.Equal(text, JsonNode.Parse(second.Stdout)!["text"]!.GetValue<string>());
        Assert.NotEqual(text, JsonNode.Parse(other.Stdout)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_stops_before_a_stop_string()
    {
        var full = await GreedyByHand("hello", 12);
        var stop = full.Substring(4, 2);
        var run = await Medley("generate", "--model", _model, "--prompt", "hello", "--temperature", "0", "--max-tokens", "12", "--stop", stop, "--json");

        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], json["text"]!.GetValue<string>());
        Assert.Equal("stop-string", json["statistics"]!["stopReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streams_text_then_reports_prefill_and_decode_rates()
    {
        var run = await Medley("generate", "--model", _model, "--prompt", "hello", "--temperature", "0", "--max-tokens", "6");

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(await GreedyByHand("hello", 6) + "\n", run.Stdout);
        Assert.Matches(@"^\[cpu:0\] prefill 5 tokens in [0-9.]+ ms \([0-9.]+ tok/s\); decode 6 tokens in [0-9.]+ s \([0-9.]+ tok/s\); stopped: max-tokens", run.Stderr);
    }

    [Fact]
    public async Task Bad_sampling_values_are_listed_together()
    {
        var run = await Medley("generate", "--model", _model, "--prompt", "x", "--max-tokens", "0", "--top-p", "1.5");
        Assert.Equal(3, run.Code);
        Assert.Contains("--max-tokens is 0: expected at least 1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--top-p is 1.5: expected a value in (0, 1]", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_that_is_not_usable_here_is_an_error_not_a_fallback()
    {
        var run = await Medley("generate", "--model", _model, "--prompt", "x", "--device", "dml");
        Assert.Equal(3, run.Code);
        Assert.Contains("error device.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_past_the_tokenizers_vocabulary_are_never_generated()
    {
        // Models pad their vocabulary past the tokenizer's; a padded id has no text and must not be sampled.
        var hf = TinyCheckpoint.Gpt2(seed: 9).Write(_temp.Combine("padded-hf"));
        var vocab = "abcdefghij".Select((c, i) => (c.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);
        File.WriteAllText(Path.Combine(hf, "tokenizer.json"), JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["added_tokens"] = Array.Empty<object>(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        }));
        var model = _temp.Combine("padded");
        OnnxExporter.Export(hf, model);

        foreach (var temperature in new[] { "0", "2" })
        {
            var run = await Medley("generate", "--model", model, "--prompt", "abc", "--temperature", temperature, "--seed", "1", "--max-tokens", "25", "--json");
            Assert.True(run.Code == 0, run.Stdout + run.Stderr);
            var text = JsonNode.Parse(run.Stdout)!["text"]!.GetValue<string>();
            Assert.Equal(25, text.Length);
            Assert.All(text, c => Assert.InRange(c, 'a', 'j'));
        }
    }

    [Fact]
    public async Task Generation_stops_at_the_context_length_instead_of_failing()
    {
        // The tiny model has 32 positions: a 5-token prompt leaves room for 27 tokens.
        var run = await Medley("generate", "--model", _model, "--prompt", "hello", "--temperature", "0", "--max-tokens", "100", "--json");

        Assert.True(run.Code == 0, run.Stdout + run.Stderr);
        var statistics = JsonNode.Parse(run.Stdout)!["statistics"]!;
        Assert.Equal("context-length", statistics["stopReason"]!.GetValue<string>());
        Assert.Equal(27, statistics["generatedTokens"]!.GetValue<int>());
    }

    private async Task<string> GreedyByHand(string prompt, int tokens)
    {
        using var model = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = _model, TokenizerFactory = HfTokenizerLoader.Load });
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(model.Tokenizer.Encode(prompt).ToArray());
        var generated = new List<int>();
        for (var i = 0; i < tokens; i++)
        {
            var row = logits.Last.Span;
            var best = 0;
            for (var v = 1; v < row.Length; v++)
            {
                if (row[v] > row[best])
                {
                    best = v;
                }
            }

            if (best == 63)
            {
                break;
            }

            generated.Add(best);
            logits = await session.AppendAsync(new[] { best });
        }

        return model.Tokenizer.Decode(generated);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Medley(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync([.. args, "--no-default-plugins"], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
