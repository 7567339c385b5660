using System.Text.Json;
using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Runtime.Tests;
using Medley.Sdk.Models;

namespace Medley.Evaluation.Tests;

/// <summary>
/// A tiny random GPT-2 exported to ONNX with a character-level tokenizer.json (63 characters, no whitespace, and
/// <c>&lt;eos&gt;</c> at id 63), shared by the tests of a class; plus the model's greedy answers computed by a
/// plain loop over a decoding session, independently of the evaluator.
/// </summary>
public sealed class EvalModel : IDisposable
{
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.";
    public const int EosId = 63;
    public const int ContextLength = 32;

    public EvalModel()
    {
        var hf = TinyCheckpoint.Gpt2(seed: 11, positions: ContextLength).Write(Temp.Combine("hf"));
        var vocab = Alphabet.Select((c, i) => (c.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);
        vocab["<eos>"] = EosId;
        var tokenizer = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { new { id = EosId, content = "<eos>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        };
        File.WriteAllText(Path.Combine(hf, "tokenizer.json"), JsonSerializer.Serialize(tokenizer));
        File.WriteAllText(Path.Combine(hf, "tokenizer_config.json"), """{"eos_token": "<eos>"}""");
        Folder = Temp.Combine("model");
        OnnxExporter.Export(hf, Folder);
    }

    public TempFolder Temp { get; } = new();

    /// <summary>The ONNX model folder; its name, <c>model</c>, is the name the report uses.</summary>
    public string Folder { get; }

    public void Dispose() => Temp.Dispose();

    /// <summary>
    /// Greedy decoding by hand: argmax (lowest id on ties) until end of sequence or until the context is full.
    /// Returns the text, its token count, the forward passes it took, and why it stopped.
    /// </summary>
    public async Task<GreedyAnswer> GreedyAsync(string prompt)
    {
        using var model = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = Folder, TokenizerFactory = HfTokenizerLoader.Load });
        using var session = model.CreateSession();
        var tokens = model.Tokenizer.Encode(prompt).ToArray();
        var logits = await session.AppendAsync(tokens);
        var calls = 1;
        var generated = new List<int>();
        while (true)
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

            if (best == EosId)
            {
                return new GreedyAnswer(model.Tokenizer.Decode(generated), generated.Count, calls, "eos");
            }

            generated.Add(best);
            if (tokens.Length + generated.Count >= ContextLength)
            {
                return new GreedyAnswer(model.Tokenizer.Decode(generated), generated.Count, calls, "context-length");
            }

            logits = await session.AppendAsync(new[] { best });
            calls++;
        }
    }
}
