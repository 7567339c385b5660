using System.Globalization;
using System.Text.Json;
using Medley.Cli;

namespace Medley.Benchmarks;

/// <summary>
/// One side of decode-overhead (<c>medley</c>: the CLI's generate command in-process; <c>raw</c>: the bare ONNX
/// Runtime loop), a warm-up run then the measured ones, in a process of its own so that its peak RSS (VmHWM) is its
/// alone. Prints one JSON line for the parent.
/// </summary>
internal static class DecodeOneCommand
{
    public static async Task<int> RunAsync(DecodeArguments arguments)
    {
        var model = arguments.Model ?? throw new ArgumentException("decode-one needs --model.");
        var side = arguments.Side ?? throw new ArgumentException("decode-one needs --side medley|raw.");
        var prompt = PromptText(arguments.PromptTokens);
        var runs = new List<DecodeRun>();
        var tokenRuns = new List<List<int>>();
        var error = string.Empty;
        for (var run = 0; run <= arguments.Repeats && error.Length == 0; run++)
        {
            var (measured, tokens, problem) = side switch
            {
                "medley" => await MedleyAsync(model, prompt, arguments).ConfigureAwait(false),
                "raw" => Raw(model, prompt, arguments),
                "session" => await SessionAsync(model, prompt, arguments).ConfigureAwait(false),
                _ => throw new ArgumentException($"--side is '{side}'; expected medley, raw or session."),
            };
            error = problem;
            if (run > 0 && measured is not null)
            {
                runs.Add(measured);
                tokenRuns.Add(tokens);
            }
        }

        var agree = tokenRuns.Count > 0 && tokenRuns.All(t => t.SequenceEqual(tokenRuns[0]));
        var result = new DecodeOneResult(
            side, error.Length == 0 ? 0 : 1, runs, tokenRuns.FirstOrDefault() ?? [], agree, PeakResidentBytes(), LoadedOnnxRuntimeLibraries(), error);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return result.ExitCode;
    }

    /// <summary>Readable ASCII text of exactly <paramref name="tokens"/> characters, one token each.</summary>
    public static string PromptText(int tokens)
    {
        const string Text = "The quick brown fox jumps over the lazy dog while a merged model decodes tokens one at a time. ";
        return string.Concat(Enumerable.Repeat(Text, (tokens / Text.Length) + 1))[..tokens];
    }

    private static async Task<(DecodeRun? Run, List<int> Tokens, string Error)> MedleyAsync(string model, string prompt, DecodeArguments arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args =
        [
            "generate", "--model", model, "--prompt", prompt, "--temperature", "0",
            "--max-tokens", arguments.Tokens.ToString(CultureInfo.InvariantCulture), "--json", "--device", arguments.Device,
        ];
        var exitCode = await MedleyCli.RunAsync(args, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
        if (exitCode != 0)
        {
            return (null, [], $"medley generate exited with {exitCode}: {stderr}{stdout}");
        }

        using var report = JsonDocument.Parse(stdout.ToString());
        var text = report.RootElement.GetProperty("text").GetString()!;
        var statistics = report.RootElement.GetProperty("statistics");
        var run = new DecodeRun(
            statistics.GetProperty("promptTokens").GetInt32(),
            statistics.GetProperty("prefillSeconds").GetDouble(),
            statistics.GetProperty("generatedTokens").GetInt32(),
            statistics.GetProperty("decodeSeconds").GetDouble());
        var stop = statistics.GetProperty("stopReason").GetString();
        var problem = run.GeneratedTokens != arguments.Tokens || run.PromptTokens != arguments.PromptTokens
            ? $"medley generate read {run.PromptTokens} prompt tokens and made {run.GeneratedTokens} (stopped: {stop}); expected {arguments.PromptTokens} and {arguments.Tokens}"
            : string.Empty;

        // The character-level vocabulary maps every id to its own character, so the text gives back the ids.
        return (run, Gpt2Checkpoint.Encode(text).ToList(), problem);
    }

    private static (DecodeRun? Run, List<int> Tokens, string Error) Raw(string model, string prompt, DecodeArguments arguments)
    {
        var (run, tokens) = RawOnnxDecodeLoop.Generate(Path.Combine(model, "model.onnx"), arguments.Device, Gpt2Checkpoint.Encode(prompt), arguments.Tokens);
        return (run, tokens, string.Empty);
    }

    private static async Task<(DecodeRun? Run, List<int> Tokens, string Error)> SessionAsync(string model, string prompt, DecodeArguments arguments)
    {
        var (run, tokens) = await SessionDecodeLoop.GenerateAsync(model, Gpt2Checkpoint.Encode(prompt), arguments.Tokens).ConfigureAwait(false);
        return (run, tokens, string.Empty);
    }

    /// <summary>VmHWM from /proc/self/status: the peak resident set of this process.</summary>
    private static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>Which native ONNX Runtime files are mapped, to show both sides ran the same build.</summary>
    private static List<string> LoadedOnnxRuntimeLibraries() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty)
            .Where(path => Path.GetFileName(path).StartsWith("libonnxruntime", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
