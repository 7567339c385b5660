using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Medley.Cli;

namespace Medley.Benchmarks;

/// <summary>
/// One merge through the CLI's own code path, in a process of its own so that the peak RSS (VmHWM, process-wide)
/// belongs to this merge alone. Prints one JSON line for the parent.
/// </summary>
internal static class MergeOneCommand
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var config = arguments.Config ?? throw new ArgumentException("merge-one needs --config.");
        var output = arguments.Output ?? throw new ArgumentException("merge-one needs --output.");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args =
        [
            "merge", config, "-o", output, "--dtype", "bfloat16", "--json", "--force",
            "--threads", arguments.Threads.ToString(CultureInfo.InvariantCulture),
            "--memory-budget", arguments.MemoryBudget,
        ];
        var started = Stopwatch.GetTimestamp();
        var exitCode = await MedleyCli.RunAsync(args, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
        var wallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        long bytesRead = 0;
        double engineSeconds = 0;
        if (exitCode == 0)
        {
            using var report = JsonDocument.Parse(stdout.ToString());
            bytesRead = Property(report.RootElement, "bytesRead").GetInt64();
            engineSeconds = Property(report.RootElement, "seconds").GetDouble();
        }

        var result = new MergeOneResult(exitCode, wallSeconds, engineSeconds, bytesRead, PeakResidentBytes(), exitCode == 0 ? string.Empty : stdout + stderr.ToString());
        Console.WriteLine(JsonSerializer.Serialize(result));
        return exitCode;
    }

    /// <summary>VmHWM from /proc/self/status: the peak resident set of this process.</summary>
    public static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
