using System.CommandLine;
using System.Globalization;
using Medley.Cli.Infrastructure;
using Medley.Host.Merging.Engine;
using Medley.Host.Requests;
using Medley.Sdk;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley merge CONFIG.yml -o OUT</c>: mergekit-format merges, streamed tensor by tensor.</summary>
internal static class MergeCommand
{
    public static Command Create(CommandRunner runner)
    {
        var config = new Argument<string>("config") { Description = "A merge config in mergekit's YAML format" };
        var output = new Option<string>("--output", "-o") { Description = "The folder to write the merged model to", Required = true, HelpName = "OUT" };
        var dtype = new Option<string?>("--dtype") { Description = "Save floating-point tensors as float32, float16 or bfloat16 (default: the config's out_dtype/dtype, else the inputs')" };
        var shardSize = new Option<string>("--shard-size") { Description = "Largest output shard (e.g. 5GB, 500MB)", DefaultValueFactory = _ => "5GB" };
        var threads = new Option<int>("--threads") { Description = "Tensors merged at once at most", DefaultValueFactory = _ => Environment.ProcessorCount };
        var memoryBudget = new Option<string>("--memory-budget") { Description = "Tensor memory the merge may hold at once (e.g. 8GB)", DefaultValueFactory = _ => "8GB" };
        var seed = new Option<ulong>("--seed") { Description = "Seed for random methods (dare_*, della*); equal seeds give bit-identical output", DefaultValueFactory = _ => 0UL };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists" };
        var command = new Command("merge", "Merge checkpoints with any merge method (mergekit-compatible configs)")
        {
            config, output, dtype, shardSize, threads, memoryBudget, seed, force,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var options = new MergeRunOptions
            {
                OutputFolder = parse.GetValue(output)!,
                Force = parse.GetValue(force),
                OutputDtype = parse.GetValue(dtype),
                ShardSize = ByteSize.Parse(parse.GetValue(shardSize)!, "--shard-size"),
                Threads = parse.GetValue(threads),
                MemoryBudget = ByteSize.Parse(parse.GetValue(memoryBudget)!, "--memory-budget"),
                Seed = parse.GetValue(seed),
            };

            await using var host = context.CreateHost();
            var request = new MergeModels(parse.GetValue(config)!, options);
            MergeReport report;
            if (!context.Json && context.Console.Profile.Capabilities.Interactive)
            {
                report = await RunWithProgressAsync(context, host, request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                report = await host.Mediator.Send(request, cancellationToken).ConfigureAwait(false);
            }

            if (context.Json)
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            context.Console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[green]merged[/] {report.Tensors} tensors ({report.LayerCount} layers) with [bold]{Markup.Escape(report.Method)}[/] into {Markup.Escape(report.OutputFolder)}: read {ByteSize.Format(report.BytesRead)} in {report.Seconds:0.00} s ({report.InputGigabytesPerSecond:0.00} GB/s), wrote {ByteSize.Format(report.BytesWritten)}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<MergeReport> RunWithProgressAsync(CliContext context, Host.Hosting.MedleyHost host, MergeModels request, CancellationToken cancellationToken)
    {
        MergeReport? report = null;
        await context.Console.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("merging", maxValue: 1);
                var sink = new Progress<ProgressUpdate>(update =>
                {
                    task.MaxValue = Math.Max(1, update.Total ?? 1);
                    task.Value = update.Completed;
                    task.Description = Markup.Escape(update.Item ?? "merging");
                });
                report = await host.Mediator.Send(request with { Progress = sink }, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.Description = "done";
            }).ConfigureAwait(false);
        return report!;
    }
}
