using System.Diagnostics;
using System.Globalization;
using Medley.Cooperation.Speculative;
using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Host.Sampling;
using Medley.Runtime.Tests;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Benchmarks;

/// <summary>
/// Greedy tokens/s of the speculative plugin against the target alone, on a seeded Llama-shaped pair: an N-layer target
/// whose layers after the first add only a scaled-down correction (as a well-distilled model family would), and a
/// draft that is the target's first layer(s), final norm and head plus small noise. Prints a Markdown table with the
/// acceptance rate, the speedup and whether every output is token-for-token the target's.
/// </summary>
internal static class SpeculativeCommand
{
    private const int Seed = 7;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options(args);
        int Get(string name) => int.Parse(options[name], CultureInfo.InvariantCulture);
        double GetDouble(string name) => double.Parse(options[name], CultureInfo.InvariantCulture);
        var vocabulary = Get("vocab");
        var root = Path.Combine(Path.GetTempPath(), $"medley-speculative-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var clock = Stopwatch.StartNew();
            var (targetCheckpoint, draftCheckpoint) = Checkpoints(Get("layers"), Get("draft-layers"), vocabulary, Get("hidden"), GetDouble("residual-scale"), (float)GetDouble("noise"));
            using var target = Export(targetCheckpoint, root, "target", vocabulary);
            using var draft = Export(draftCheckpoint, root, "draft", vocabulary);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; CPU, FP32 ONNX"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: Llama-shaped, {Get("layers")} layers (layers 2+ residual outputs × {GetDouble("residual-scale")}), hidden {Get("hidden")}, vocab {vocabulary}, {Parameters(targetCheckpoint) / 1e6:0.0}M parameters; "
                + $"draft: {Get("draft-layers")} layer(s) copied from the target + uniform noise ±{GetDouble("noise")}, {Parameters(draftCheckpoint) / 1e6:0.0}M parameters (ready in {clock.Elapsed.TotalSeconds:0.0} s)"));

            var prompts = Prompts(Get("prompts"));
            var maxTokens = Get("tokens");
            var repeats = Get("repeats");
            Console.WriteLine($"run: {prompts.Count} prompts, greedy, up to {maxTokens} new tokens each (end of sequence stops earlier); {repeats} measured pass(es) per side after a warm-up pass; tokens/s includes the prompt's prefill");

            var configurations = options["gammas"].Split(',').Select(g => (Gamma: int.Parse(g, CultureInfo.InvariantCulture), Schedule: "fixed"))
                .Append((Gamma: 2, Schedule: "heuristic"))
                .ToList();
            var (reference, _) = await TargetAloneAsync(target, prompts, maxTokens);
            var baseline = new List<double>();
            var rows = configurations.ToDictionary(c => c, _ => new List<double>());
            var counters = new Dictionary<(int, string), IReadOnlyDictionary<string, double>>();
            var identical = true;
            foreach (var configuration in configurations)
            {
                await SpeculativeAsync(target, draft, prompts, maxTokens, configuration.Gamma, configuration.Schedule);
            }

            for (var repeat = 0; repeat < repeats; repeat++)
            {
                var (tokens, rate) = await TargetAloneAsync(target, prompts, maxTokens);
                identical &= tokens.Zip(reference).All(pair => pair.First.SequenceEqual(pair.Second));
                baseline.Add(rate);
                foreach (var configuration in configurations)
                {
                    var (speculative, speculativeRate, snapshot) = await SpeculativeAsync(target, draft, prompts, maxTokens, configuration.Gamma, configuration.Schedule);
                    identical &= speculative.Zip(reference).All(pair => pair.First.SequenceEqual(pair.Second));
                    rows[configuration].Add(speculativeRate);
                    counters[configuration] = snapshot;
                }
            }

            var baselineRate = Median(baseline);
            Console.WriteLine();
            Console.WriteLine("| side | tokens/s (median) | speedup | acceptance rate | mean accepted length | tokens per target call | draft calls per token |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| target alone | {baselineRate:0.0} | 1.00× | | | 1.00 | |"));
            foreach (var configuration in configurations)
            {
                var c = counters[configuration];
                var rate = Median(rows[configuration]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| speculative γ={configuration.Gamma} {configuration.Schedule} | {rate:0.0} | {rate / baselineRate:0.00}× | {c["acceptance_rate"]:0.000} | {c["mean_accepted_length"]:0.00} | {c["tokens_per_target_call"]:0.00} | {c["draft_calls"] / c["generated_tokens"]:0.00} |"));
            }

            Console.WriteLine();
            Console.WriteLine($"outputs token-for-token identical to the target alone: {(identical ? "yes" : "NO")} ({reference.Sum(r => r.Count)} tokens per pass)");
            return identical ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["layers"] = "8", ["draft-layers"] = "1", ["hidden"] = "512", ["vocab"] = "2048", ["residual-scale"] = "0.03",
            ["noise"] = "0.003", ["prompts"] = "8", ["tokens"] = "96", ["repeats"] = "3", ["gammas"] = "2,4,6",
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            options[name] = options.ContainsKey(name) ? args[i + 1] : throw new ArgumentException($"Unknown option '{args[i]}'; known: {string.Join(", ", options.Keys.Select(k => "--" + k))}.");
        }

        return options;
    }

    private static (TinyCheckpoint Target, TinyCheckpoint Draft) Checkpoints(int layers, int draftLayers, int vocabulary, int hidden, double residualScale, float noise)
    {
        var heads = hidden / 64;
        var intermediate = hidden * 8 / 3;
        var target = TinyCheckpoint.Llama(Seed, vocab: vocabulary, hidden: hidden, heads: heads, kvHeads: heads, layers: layers, intermediate: intermediate);
        for (var layer = draftLayers; layer < layers; layer++)
        {
            foreach (var name in new[] { $"model.layers.{layer}.self_attn.o_proj.weight", $"model.layers.{layer}.mlp.down_proj.weight" })
            {
                var values = target[name];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(values[i] * residualScale);
                }
            }
        }

        // Same shapes for the tensors the draft keeps; their values are then taken from the target and perturbed.
        var draft = TinyCheckpoint.Llama(Seed + 1, vocab: vocabulary, hidden: hidden, heads: heads, kvHeads: heads, layers: draftLayers, intermediate: intermediate);
        var random = new Random(Seed + 2);
        foreach (var (name, (_, values)) in draft.Tensors)
        {
            var source = target[name];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = source[i] + (float)((random.NextDouble() * 2 - 1) * noise);
            }
        }

        return (target, draft);
    }

    private static OnnxCausalLanguageModel Export(TinyCheckpoint checkpoint, string root, string name, int vocabulary)
    {
        var onnx = Path.Combine(root, name);
        OnnxExporter.Export(checkpoint.Write(Path.Combine(root, name + "-hf")), onnx, new OnnxExportOptions { Dtype = OnnxExportDtype.Float32 });
        return OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = onnx, TokenizerFactory = _ => new TestTokenizer(vocabulary) });
    }

    private static List<string> Prompts(int count)
    {
        var random = new Random(Seed);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz ,.";
        return Enumerable.Range(0, count)
            .Select(_ => new string(Enumerable.Range(0, random.Next(8, 17)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()))
            .ToList();
    }

    /// <summary>The plain loop: one forward pass per token, the host sampler's greedy choice.</summary>
    private static async Task<(List<List<int>> Tokens, double TokensPerSecond)> TargetAloneAsync(OnnxCausalLanguageModel target, List<string> prompts, int maxTokens)
    {
        var tokenizer = target.Tokenizer;
        var outputs = new List<List<int>>();
        var clock = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            var history = tokenizer.Encode(prompt, addSpecialTokens: true).ToList();
            var sampler = new TokenSampler(new SamplingOptions { Temperature = 0 });
            using var session = target.CreateSession();
            var logits = await session.AppendAsync(history.ToArray()).ConfigureAwait(false);
            var output = new List<int>();
            while (output.Count < maxTokens)
            {
                var token = sampler.Next(logits.Last.Span[..tokenizer.VocabularySize], history);
                if (tokenizer.EosTokenIds.Contains(token))
                {
                    break;
                }

                output.Add(token);
                history.Add(token);
                if (output.Count < maxTokens)
                {
                    logits = await session.AppendAsync(new[] { token }).ConfigureAwait(false);
                }
            }

            outputs.Add(output);
        }

        return (outputs, outputs.Sum(o => o.Count) / clock.Elapsed.TotalSeconds);
    }

    private static async Task<(List<List<int>> Tokens, double TokensPerSecond, IReadOnlyDictionary<string, double> Counters)> SpeculativeAsync(
        OnnxCausalLanguageModel target, OnnxCausalLanguageModel draft, List<string> prompts, int maxTokens, int gamma, string schedule)
    {
        var strategy = new SpeculativeDecodingStrategy();
        var parameters = StrategyParameters.FromValues(new Dictionary<string, object?> { ["draft_tokens"] = gamma, ["schedule"] = schedule });
        var counters = new StrategyCounters();
        var outputs = new List<List<int>>();
        double targetCalls = 0, draftCalls = 0, drafted = 0, accepted = 0, generated = 0;
        var clock = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            var context = new DecodingContext(
                [new DecodingMember("target", "target", target, StrategyParameters.Empty), new DecodingMember("draft", "draft", draft, StrategyParameters.Empty)],
                prompt,
                parameters,
                new TokenSampler(new SamplingOptions { Temperature = 0, MaxTokens = maxTokens }),
                new StrategyCounters(),
                NullLogger.Instance);
            var output = new List<int>();
            await foreach (var piece in strategy.DecodeAsync(context, CancellationToken.None).ConfigureAwait(false))
            {
                output.AddRange(piece.TokenIds);
            }

            outputs.Add(output);
            targetCalls += context.Counters.Get("target_calls");
            draftCalls += context.Counters.Get("draft_calls");
            drafted += context.Counters.Get("drafted_tokens");
            accepted += context.Counters.Get("accepted_tokens");
            generated += context.Counters.Get("generated_tokens");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        counters.Set("acceptance_rate", accepted / drafted);
        counters.Set("mean_accepted_length", accepted / targetCalls);
        counters.Set("tokens_per_target_call", generated / targetCalls);
        counters.Set("draft_calls", draftCalls);
        counters.Set("generated_tokens", generated);
        return (outputs, generated / seconds, counters.Snapshot());
    }

    private static long Parameters(TinyCheckpoint checkpoint) => checkpoint.Tensors.Values.Sum(t => (long)t.Values.Length);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
