using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Medley.Cli;

namespace Medley.Tools.GpuCheck;

/// <summary>Runs every section and writes the Markdown report; the exit code is 0 only when everything held.</summary>
internal sealed class GpuCheckReport(GpuCheckOptions options, TextWriter output)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private bool _allHeld = true;

    public async Task<int> WriteAsync()
    {
        await output.WriteLineAsync("# Medley GPU check");
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(Invariant, $"- {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} logical processors"));
        await output.WriteLineAsync(string.Create(Invariant, $"- plugins: `{options.PluginsFolder}`"));
        await output.WriteLineAsync();

        await WriteProvidersListAsync();
        await WriteChecksAsync();
        var modelFolder = await WriteBenchmarkAsync();
        await WriteCacheCheckAsync(modelFolder);
        return _allHeld ? 0 : 1;
    }

    private async Task WriteProvidersListAsync()
    {
        await output.WriteLineAsync("## `medley providers list`");
        await output.WriteLineAsync();
        using var stdout = new StringWriter(Invariant);
        using var stderr = new StringWriter(Invariant);
        var code = await MedleyCli.RunAsync(["providers", "list", "--plugins", options.PluginsFolder, "--no-default-plugins"], stdout, stderr, CancellationToken.None);
        _allHeld &= code == 0;
        await output.WriteLineAsync("```text");
        await output.WriteAsync(stdout.ToString());
        await output.WriteAsync(stderr.ToString());
        await output.WriteLineAsync(string.Create(Invariant, $"(exit code {code})"));
        await output.WriteLineAsync("```");
        await output.WriteLineAsync();
    }

    private async Task WriteChecksAsync()
    {
        await output.WriteLineAsync("## CUDA execution provider checks (as tests/Medley.Providers.Tests/GpuTests.cs)");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| check | result | detail |");
        await output.WriteLineAsync("| --- | --- | --- |");
        using var checks = new CudaChecks(options.PluginsFolder);
        foreach (var outcome in checks.Run())
        {
            _allHeld &= outcome.Passed;
            await output.WriteLineAsync($"| {outcome.Name} | {(outcome.Passed ? "pass" : "**FAIL**")} | {Cell(outcome.Detail)} |");
        }

        await output.WriteLineAsync();
    }

    private async Task WriteCacheCheckAsync(string modelFolder)
    {
        await output.WriteLineAsync("## KV cache on the GPU (GPT-2-small-shaped model above)");
        await output.WriteLineAsync();
        var pluginOptions = new Medley.Host.Hosting.MedleyOptions { UseDefaultPluginLocations = false };
        pluginOptions.PluginDirectories.Add(options.PluginsFolder);
        using var catalog = new Medley.Host.Plugins.PluginCatalog(pluginOptions);
        string line;
        try
        {
            line = "pass: " + await new CacheOnGpuCheck(catalog, modelFolder).RunAsync();
        }
        catch (Exception ex) when (ex is CheckFailedException or Medley.Sdk.MedleyException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            _allHeld = false;
            line = $"**FAIL**: {ex.GetType().Name}: {ex.Message}";
        }

        await output.WriteLineAsync(line);
        await output.WriteLineAsync();
    }

    private async Task<string> WriteBenchmarkAsync()
    {
        await output.WriteLineAsync("## Decode benchmark: GPT-2-small-shaped model, seeded random weights, fp32");
        await output.WriteLineAsync();
        var benchmark = new DecodeBenchmark(options);
        var (writeSeconds, exportSeconds, modelBytes) = benchmark.Prepare();
        await output.WriteLineAsync(string.Create(Invariant, $"Checkpoint written in {writeSeconds:0.0} s, exported in {exportSeconds:0.0} s ({modelBytes / 1048576.0:0} MiB of ONNX weights). "
            + $"Each run: `medley generate --temperature 0 --max-tokens {options.MaxTokens} --json --device D` in its own process, prompt of {DecodeBenchmark.Prompt.Length} characters (one token each)."));
        await output.WriteLineAsync();

        var runs = new List<GenerationRun>();
        foreach (var device in new[] { "cuda:0", "cpu" })
        {
            runs.Add(await benchmark.RunAsync(device));
        }

        await output.WriteLineAsync("| device | prompt tokens | prefill ms | prefill tok/s | generated | decode s | decode tok/s | stop | process wall s |");
        await output.WriteLineAsync("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var run in runs)
        {
            _allHeld &= run.Succeeded;
            await output.WriteLineAsync(run.Succeeded
                ? string.Create(Invariant, $"| {run.Device} | {run.PromptTokens} | {run.PrefillSeconds * 1000:0.0} | {run.PrefillTokensPerSecond:0.0} | {run.GeneratedTokens} | {run.DecodeSeconds:0.000} | {run.DecodeTokensPerSecond:0.0} | {run.StopReason} | {run.WallSeconds:0.0} |")
                : string.Create(Invariant, $"| {run.Device} | **FAILED** (exit {run.ExitCode}) | {Cell(run.Error)} | | | | | | {run.WallSeconds:0.0} |"));
        }

        await output.WriteLineAsync();
        if (runs.All(r => r.Succeeded))
        {
            await output.WriteLineAsync(Agreement(runs[0], runs[1]));
            await output.WriteLineAsync(string.Create(Invariant, $"Decode speed-up CUDA / CPU: {runs[0].DecodeTokensPerSecond / runs[1].DecodeTokensPerSecond:0.00}×."));
        }

        await output.WriteLineAsync();
        return benchmark.ModelFolder;
    }

    private static string Agreement(GenerationRun cuda, GenerationRun cpu)
    {
        if (cuda.Text == cpu.Text)
        {
            return string.Create(Invariant, $"Greedy texts identical ({cuda.Text.Length} characters), starting {Snippet(cuda.Text, 0)}.");
        }

        var at = 0;
        while (at < cuda.Text.Length && at < cpu.Text.Length && cuda.Text[at] == cpu.Text[at])
        {
            at++;
        }

        return string.Create(Invariant, $"Greedy texts DIFFER from character {at} ({cuda.Text.Length} vs {cpu.Text.Length} characters): cuda {Snippet(cuda.Text, at)}, cpu {Snippet(cpu.Text, at)}.");
    }

    // JSON-escaped: random weights pick characters from all over the Basic Multilingual Plane.
    private static string Snippet(string text, int from) => $"`{JsonSerializer.Serialize(text.Substring(from, Math.Min(16, text.Length - from)))}`";

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
}
