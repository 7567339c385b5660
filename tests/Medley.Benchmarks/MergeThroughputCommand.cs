using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Medley.Benchmarks;

/// <summary>
/// The macro benchmark: generates Llama-7B-shaped BF16 checkpoints, measures the raw read rate of their files,
/// then runs each method's merge in a child process and prints a Markdown table.
/// </summary>
internal static class MergeThroughputCommand
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var root = arguments.KeepFolder ?? Path.Combine(Path.GetTempPath(), $"medley-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var layers = LlamaCheckpoints.LayersFor(arguments.SizeGigabytes);
            var generation = Stopwatch.StartNew();
            var (baseModel, fineTunes) = LlamaCheckpoints.Generate(root, layers);
            var files = new[] { baseModel }.Concat(fineTunes).SelectMany(f => Directory.EnumerateFiles(f, "*.safetensors")).Order(StringComparer.Ordinal).ToList();
            var inputBytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checkpoints: 4 x {layers} layer(s) of Llama-7B shapes, {inputBytes / 1e9:0.00} GB BF16 in {root} (ready in {generation.Elapsed.TotalSeconds:0.0} s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, threads {arguments.Threads}, memory budget {arguments.MemoryBudget}"));

            var dropped = RawRead.DropCaches();
            var cold = RawRead.GigabytesPerSecond(files);
            var warm = Enumerable.Range(0, 3).Max(_ => RawRead.GigabytesPerSecond(files));
            Console.WriteLine($"cold pass: {dropped}");
            var outputBytes = inputBytes / (LlamaCheckpoints.FineTunes + 1);
            var write = RawRead.WriteGigabytesPerSecond(root, outputBytes);

            var table = new StringBuilder();
            table.AppendLine("| measurement | GB/s | % of warm raw read | % of cold raw read | peak RSS | wall s |");
            table.AppendLine("|---|---:|---:|---:|---:|---:|");
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| raw read, cold pass (1 thread) | {cold:0.00} | {100 * cold / warm:0} % | 100 % | | |"));
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| raw read, warm pass (1 thread, best of 3) | {warm:0.00} | 100 % | {100 * warm / cold:0} % | | |"));
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| raw write + fsync of one output ({outputBytes / 1e9:0.00} GB, 1 thread); as input GB/s: | {write:0.00} ({write * (LlamaCheckpoints.FineTunes + 1):0.00}) | {100 * write * (LlamaCheckpoints.FineTunes + 1) / warm:0} % | {100 * write * (LlamaCheckpoints.FineTunes + 1) / cold:0} % | | {outputBytes / 1e9 / write:0.00} |"));
            var convert = RawRead.ConvertGigabytesPerSecond([baseModel, .. fineTunes], 8 * 1024);
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| read (pread) + BF16→F32 conversion in 8K-value parts, as the streaming merge reads (1 thread) | {convert:0.00} | {100 * convert / warm:0} % | {100 * convert / cold:0} % | | |"));
            var failed = false;
            foreach (var method in arguments.Methods)
            {
                var config = MergeConfigs.Write(root, method, baseModel, fineTunes);
                if (arguments.Cold)
                {
                    Console.WriteLine($"before {method}: {RawRead.DropCaches()}");
                }

                var result = RunChild(config, Path.Combine(root, $"out-{method}"), arguments);
                Directory.Delete(Path.Combine(root, $"out-{method}"), recursive: true);
                if (result.ExitCode != 0)
                {
                    failed = true;
                    table.AppendLine($"| {method} | failed ({result.ExitCode}) | | | | |");
                    Console.Error.WriteLine(result.Error);
                    continue;
                }

                var rate = result.BytesRead / 1e9 / result.WallSeconds;
                table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| merge {method}{(arguments.Cold ? " (cold cache)" : string.Empty)} | {rate:0.00} | {100 * rate / warm:0} % | {100 * rate / cold:0} % | {result.PeakResidentBytes / 1e9:0.00} GB | {result.WallSeconds:0.00} |"));
            }

            Console.WriteLine();
            Console.Write(table);
            return failed ? 1 : 0;
        }
        finally
        {
            if (arguments.KeepFolder is null)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static MergeOneResult RunChild(string config, string output, BenchmarkArguments arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            typeof(MergeThroughputCommand).Assembly.Location, "merge-one", "--config", config, "--output", output,
            "--threads", arguments.Threads.ToString(CultureInfo.InvariantCulture), "--memory-budget", arguments.MemoryBudget,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the merge-one child process.");
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        return line is null
            ? new MergeOneResult(process.ExitCode, 0, 0, 0, 0, text)
            : JsonSerializer.Deserialize<MergeOneResult>(line)!;
    }
}
