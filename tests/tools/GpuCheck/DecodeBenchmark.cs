using System.Diagnostics;
using System.Text.Json;
using Medley.Host.Onnx.Export;

namespace Medley.Tools.GpuCheck;

/// <summary>
/// Exports the GPT-2-small-shaped checkpoint and runs <c>medley generate</c> greedily on each device, each in its own
/// process: ONNX Runtime's native library (GPU or CPU build) is chosen once per process.
/// </summary>
internal sealed class DecodeBenchmark(GpuCheckOptions options)
{
    public const string Prompt = "The quick brown fox jumps over the lazy dog. Medley makes several language models work as one.";

    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(4);

    public string ModelFolder => Path.Combine(options.WorkFolder, "onnx");

    /// <summary>Writes the checkpoint and exports it; returns (write seconds, export seconds, model.onnx bytes).</summary>
    public (double WriteSeconds, double ExportSeconds, long ModelBytes) Prepare()
    {
        if (Directory.Exists(options.WorkFolder))
        {
            Directory.Delete(options.WorkFolder, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        var checkpoint = Gpt2SmallCheckpoint.Write(Path.Combine(options.WorkFolder, "hf"), seed: 2024);
        var writeSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        OnnxExporter.Export(checkpoint, ModelFolder);
        var exportSeconds = clock.Elapsed.TotalSeconds;
        var bytes = Directory.EnumerateFiles(ModelFolder).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        return (writeSeconds, exportSeconds, bytes);
    }

    public async Task<GenerationRun> RunAsync(string device)
    {
        string[] cliArgs =
        [
            "medley", "generate", "--model", ModelFolder, "--prompt", Prompt, "--temperature", "0",
            "--max-tokens", options.MaxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--json", "--device", device, "--plugins", options.PluginsFolder, "--no-default-plugins",
        ];
        var start = SelfStart();
        foreach (var arg in cliArgs)
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ChildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return Failed(device, -1, clock.Elapsed.TotalSeconds, $"timed out after {ChildTimeout.TotalMinutes} min");
        }

        var wall = clock.Elapsed.TotalSeconds;
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            return Failed(device, process.ExitCode, wall, (errors + output).Trim());
        }

        try
        {
            using var json = JsonDocument.Parse(output);
            var statistics = json.RootElement.GetProperty("statistics");
            return new GenerationRun(
                statistics.GetProperty("device").GetString() ?? device,
                0,
                wall,
                json.RootElement.GetProperty("text").GetString() ?? string.Empty,
                statistics.GetProperty("promptTokens").GetInt32(),
                statistics.GetProperty("prefillSeconds").GetDouble(),
                statistics.GetProperty("generatedTokens").GetInt32(),
                statistics.GetProperty("decodeSeconds").GetDouble(),
                statistics.GetProperty("stopReason").GetString() ?? string.Empty,
                string.Empty);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Failed(device, 0, wall, $"unreadable JSON ({ex.Message}): {output.Trim()} {errors.Trim()}");
        }
    }

    private static GenerationRun Failed(string device, int exitCode, double wall, string error) =>
        new(device, exitCode, wall, string.Empty, 0, 0, 0, 0, string.Empty, error.Length == 0 ? "failed without a message" : error);

    /// <summary>Starts this app again: through the dotnet host when it runs as <c>dotnet GpuCheck.dll</c>.</summary>
    private static ProcessStartInfo SelfStart()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown");
        var start = new ProcessStartInfo(processPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(DecodeBenchmark).Assembly.Location);
        }

        return start;
    }
}
