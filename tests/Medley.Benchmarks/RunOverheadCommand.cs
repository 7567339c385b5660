using System.Globalization;
using System.Text;
using Medley.Host.Hosting;
using Medley.Host.Running;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Benchmarks;

/// <summary>
/// The token-level loop benchmark: <c>logit-average</c> over one and two copies of a GPT-2-shaped model (greedy), in
/// process; reports per step the host loop's own time (combining, masking, sampling, stop checks) against the
/// members' forward passes, and whether the loop stays within 5 % of them.
/// </summary>
internal static class RunOverheadCommand
{
    /// <summary>The issue's bar: the host loop may cost at most this share of the members' forward time.</summary>
    private const double OverheadLimitPercent = 5;

    public static async Task<int> RunAsync(DecodeArguments arguments)
    {
        var root = arguments.KeepFolder ?? Path.Combine(Path.GetTempPath(), $"medley-run-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var model = DecodeOverheadCommand.Prepare(root, arguments.Layers);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; device {arguments.Device}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run: logit-average, prompt {arguments.PromptTokens} tokens, {arguments.Tokens} new tokens greedy; one warm-up and {arguments.Repeats} measured run(s) per row, members loaded once per row"));
            await using var host = MedleyHost.CreateDefault(options =>
            {
                options.UseDefaultPluginLocations = false;
                options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
            });
            var prompt = new string(Enumerable.Range(0, arguments.PromptTokens).Select(i => (char)('a' + (i % 26))).ToArray());
            var table = new StringBuilder();
            table.AppendLine("| members | mode | tok/s (median) | decode ms/step without the loop | host loop µs/step | host loop / forward |");
            table.AppendLine("|---|---|---:|---:|---:|---:|");
            var worst = 0.0;
            foreach (var (count, mode) in new[] { (1, "mixture"), (2, "mixture"), (2, "product") })
            {
                var config = new RunConfig
                {
                    Strategy = "logit-average",
                    Members = Enumerable.Range(0, count).Select(i => new RunMemberConfig("member", model, $"m{i}", arguments.Device, StrategyParameters.Empty)).ToList(),
                    Parameters = StrategyParameters.FromJson($$"""{"mode": "{{mode}}"}""").Json,
                    Sampling = new SamplingOptions { Temperature = 0, MaxTokens = arguments.Tokens },
                    Device = arguments.Device,
                };
                using var members = await LoadedMembers.LoadAsync(host.Plugins, config, CancellationToken.None).ConfigureAwait(false);
                var runner = new StrategyRunner(RunPlan.Create(host.Plugins, config), members, NullLogger.Instance);
                var runs = new List<RunStatistics>();
                for (var repeat = 0; repeat <= arguments.Repeats; repeat++)
                {
                    var statistics = new RunStatistics();
                    await foreach (var _ in runner.RunAsync(prompt, statistics, CancellationToken.None).ConfigureAwait(false))
                    {
                    }

                    if (repeat > 0)
                    {
                        runs.Add(statistics);
                    }
                }

                // Per generated token, after the prompt: the members' forward passes (wall clock, in parallel when
                // there are several) against the loop's own work. Forward time is what remains of the decode time once
                // the loop's work is taken out, so anything else the host does (threads, text) counts against it.
                var forward = Median(runs.Select(r => (r.Seconds - r.PrefillSeconds - r.LoopSeconds) / r.GeneratedTokens));
                var loop = Median(runs.Select(r => r.LoopSeconds / r.GeneratedTokens));
                var share = 100 * loop / forward;
                worst = Math.Max(worst, share);
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {count} | {mode} | {Median(runs.Select(r => r.TokensPerSecond)):0.00} | {forward * 1e3:0.00} | {loop * 1e6:0} | {share:0.00} % |"));
            }

            Console.WriteLine();
            Console.Write(table);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"host loop overhead: at most {worst:0.00} % of the members' forward time (limit {OverheadLimitPercent:0} %): {(worst <= OverheadLimitPercent ? "met" : "NOT met")}"));
            return worst <= OverheadLimitPercent ? 0 : 1;
        }
        finally
        {
            if (arguments.KeepFolder is null)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
