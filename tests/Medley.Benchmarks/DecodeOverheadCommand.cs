using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Medley.Host.Onnx.Export;

namespace Medley.Benchmarks;

/// <summary>
/// The inference-runtime benchmark: greedy decode rate of <c>medley generate</c> against a bare ONNX Runtime loop
/// on the same exported GPT-2-shaped model (random weights), each side in a child process; prints a Markdown
/// table with prefill and decode rates, Medley's overhead, peak RSS, and whether both chose the same tokens.
/// </summary>
internal static class DecodeOverheadCommand
{
    /// <summary>The issue's bar: Medley's decode loop may cost at most this much over the bare loop.</summary>
    private const double OverheadLimitPercent = 10;

    public static int Run(DecodeArguments arguments)
    {
        var root = arguments.KeepFolder ?? Path.Combine(Path.GetTempPath(), $"medley-decode-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var model = Prepare(root, arguments.Layers);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; device {arguments.Device}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run: prompt {arguments.PromptTokens} tokens, {arguments.Tokens} new tokens greedy; {arguments.Repeats} measured run(s) per side, sides alternating, each run in a fresh child process after a warm-up run there, each run loading its session"));

            // This VM's cores are shared with other work, so sides alternate run by run (each run in a fresh child with
            // its own warm-up) and contention spreads over all of them instead of landing on one side.
            var sides = new[] { "medley", "raw", "session" };
            var results = sides.ToDictionary(s => s, _ => new List<DecodeOneResult>());
            for (var repeat = 0; repeat < arguments.Repeats; repeat++)
            {
                for (var i = 0; i < sides.Length; i++)
                {
                    var side = sides[(i + repeat) % sides.Length];
                    var result = RunChild(arguments with { Repeats = 1 }, side, model);
                    if (result.ExitCode != 0)
                    {
                        Console.Error.WriteLine($"{side}: {result.Error}");
                        return 1;
                    }

                    results[side].Add(result);
                }
            }

            var medley = Combine(results["medley"]);
            var raw = Combine(results["raw"]);
            var session = Combine(results["session"]);
            var medleyDecode = Median(medley.Runs.Select(r => r.DecodeTokensPerSecond));
            var rawDecode = Median(raw.Runs.Select(r => r.DecodeTokensPerSecond));
            var overhead = ((rawDecode / medleyDecode) - 1) * 100;
            var table = new StringBuilder();
            table.AppendLine("| side | prefill tok/s (median) | decode tok/s (median) | decode tok/s per run | peak RSS (VmHWM) |");
            table.AppendLine("|---|---:|---:|---|---:|");
            foreach (var (label, side) in new[] { ("medley generate (in-process CLI)", medley), ("raw ONNX Runtime loop", raw), ("Medley runtime session + sampler, no CLI (diagnostic)", session) })
            {
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {Median(side.Runs.Select(r => r.PrefillTokensPerSecond)):0.0} | {Median(side.Runs.Select(r => r.DecodeTokensPerSecond)):0.00} | {string.Join(", ", side.Runs.Select(r => r.DecodeTokensPerSecond.ToString("0.00", CultureInfo.InvariantCulture)))} | {side.PeakResidentBytes / 1e6:0} MB |"));
            }

            var pairedOverhead = Median(medley.Runs.Zip(raw.Runs, (m, r) => ((r.DecodeTokensPerSecond / m.DecodeTokensPerSecond) - 1) * 100));
            var same = medley.TokenIds.SequenceEqual(raw.TokenIds) && session.TokenIds.SequenceEqual(raw.TokenIds);
            var firstDifference = Enumerable.Range(0, Math.Min(medley.TokenIds.Count, raw.TokenIds.Count)).FirstOrDefault(i => medley.TokenIds[i] != raw.TokenIds[i], -1);
            Console.WriteLine();
            Console.Write(table);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Medley decode overhead: {overhead:+0.0;-0.0} % (median raw / median medley − 1; limit {OverheadLimitPercent:0} %): {(overhead <= OverheadLimitPercent ? "met" : "NOT met")}; median of run-by-run ratios {pairedOverhead:+0.0;-0.0} %"));
            Console.WriteLine($"greedy tokens agree: {(same ? "yes" : "NO")} ({medley.TokenIds.Count} vs {raw.TokenIds.Count} tokens{(same || firstDifference < 0 ? string.Empty : $", first difference at {firstDifference}")}); repeated runs agree: medley {(medley.RunsAgree ? "yes" : "NO")}, raw {(raw.RunsAgree ? "yes" : "NO")}, session {(session.RunsAgree ? "yes" : "NO")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"diagnostic: in the runtime-session loop the host sampler (TokenSampler.Next over {Gpt2Checkpoint.Vocab} logits) took {Median(session.Runs.Select(r => r.SamplingSeconds / r.GeneratedTokens)) * 1e6:0} µs per token, {Median(session.Runs.Select(r => 100 * r.SamplingSeconds / r.DecodeSeconds)):0.0} % of decode"));
            Console.WriteLine($"ONNX Runtime library: medley {string.Join(", ", medley.NativeLibraries)}; raw {string.Join(", ", raw.NativeLibraries)}");
            return same && overhead <= OverheadLimitPercent ? 0 : 1;
        }
        finally
        {
            if (arguments.KeepFolder is null)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Writes the checkpoint and exports it unless a previous run left both complete; returns the ONNX folder.</summary>
    internal static string Prepare(string root, int layers)
    {
        var checkpoint = Path.Combine(root, "hf");
        var onnx = Path.Combine(root, "onnx");
        var marker = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"complete-gpt2-{layers}-layers"));
        var clock = Stopwatch.StartNew();
        if (!File.Exists(marker))
        {
            foreach (var stale in Directory.EnumerateFiles(root, "complete-*"))
            {
                File.Delete(stale);
            }

            Gpt2Checkpoint.Write(checkpoint, layers);
            OnnxExporter.Export(checkpoint, onnx, new OnnxExportOptions { Dtype = OnnxExportDtype.Float32, Overwrite = true });
            File.WriteAllText(marker, "generated\n");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: GPT-2-shaped, {layers} layers, n_embd {Gpt2Checkpoint.Hidden}, n_head {Gpt2Checkpoint.Heads}, vocab {Gpt2Checkpoint.Vocab}, {Gpt2Checkpoint.ParameterCount(layers) / 1e6:0.0}M parameters, "
            + $"random N(0, 0.02) weights, FP32 ONNX {new FileInfo(Path.Combine(onnx, OnnxExporter.ModelFileName)).Length / 1e6:0} MB in {onnx} (ready in {clock.Elapsed.TotalSeconds:0.0} s)"));
        return onnx;
    }

    private static DecodeOneResult RunChild(DecodeArguments arguments, string side, string model)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(DecodeOverheadCommand).Assembly.Location);
        foreach (var argument in arguments.ChildArguments(side, model))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the decode-one child process for {side}.");
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        return line is null
            ? new DecodeOneResult(side, process.ExitCode == 0 ? 1 : process.ExitCode, [], [], false, 0, [], text)
            : JsonSerializer.Deserialize<DecodeOneResult>(line)!;
    }

    /// <summary>One side's runs from several children: its runs in order, the first child's tokens, the highest peak.</summary>
    private static DecodeOneResult Combine(List<DecodeOneResult> children) => children[0] with
    {
        Runs = children.SelectMany(c => c.Runs).ToList(),
        RunsAgree = children.All(c => c.RunsAgree && c.TokenIds.SequenceEqual(children[0].TokenIds)),
        PeakResidentBytes = children.Max(c => c.PeakResidentBytes),
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
