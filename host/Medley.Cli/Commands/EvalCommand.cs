using System.CommandLine;
using System.Globalization;
using Mediator;
using Medley.Cli.Infrastructure;
using Medley.Host.Evaluation;
using Medley.Host.Requests;
using Medley.Sdk;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley eval --model DIR --tasks FILE.jsonl</c>: exact-match accuracy of greedy answers, per task.</summary>
internal static class EvalCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Option<string?>("--model", "-m") { Description = "An ONNX model folder (model.onnx with its tokenizer files)", HelpName = "DIR" };
        var run = new Option<string?>("--run") { Description = "A run config (YAML): evaluate its strategy instead of one model", HelpName = "RUN.yml" };
        var tasks = new Option<string>("--tasks") { Description = "A JSON Lines task file: one {\"task\", \"prompt\", \"answer\"} object per line", Required = true, HelpName = "FILE.jsonl" };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N items of each task", HelpName = "N" };
        var report = new Option<string?>("--report") { Description = "Also write the JSON report to this file", HelpName = "OUT.json" };
        var force = new Option<bool>("--force") { Description = "Replace an existing --report file" };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda[:N] or dml[:N]", DefaultValueFactory = _ => "cpu" };
        var parallel = new Option<int>("--parallel") { Description = "Items decoded at once", DefaultValueFactory = _ => EvaluateModel.DefaultParallelism, HelpName = "N" };
        var command = new Command("eval", "Score a model or a run-config strategy on prompt/answer task files by exact match of its answers")
        {
            model, run, tasks, limit, report, force, device, parallel,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var reportPath = parse.GetValue(report);
            // Refused before any work: finding out after a long evaluation that its report cannot be written wastes it.
            if (reportPath is not null && File.Exists(reportPath) && !parse.GetValue(force))
            {
                throw new MedleyException(EvaluationErrorCodes.ReportExists, $"Report file '{reportPath}' already exists; choose another --report file or pass --force to replace it.");
            }

            var modelPath = parse.GetValue(model);
            var runPath = parse.GetValue(run);
            if ((modelPath is null) == (runPath is null))
            {
                throw new MedleyException("cli.usage", "Give exactly one of --model DIR (one model) or --run RUN.yml (a strategy).", MedleyErrorKind.Usage);
            }

            IRequest<EvaluationReport> request = runPath is not null
                ? new EvaluateRun(runPath, parse.GetValue(tasks)!) { Limit = parse.GetValue(limit) }
                : new EvaluateModel(modelPath!, parse.GetValue(tasks)!)
                {
                    Limit = parse.GetValue(limit),
                    Device = parse.GetValue(device)!,
                    Parallelism = parse.GetValue(parallel),
                };

            await using var host = context.CreateHost();
            EvaluationReport result;
            if (!context.Json && context.Console.Profile.Capabilities.Interactive)
            {
                result = await RunWithProgressAsync(context, host, request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                result = await host.Mediator.Send(request, cancellationToken).ConfigureAwait(false);
            }

            if (reportPath is not null)
            {
                await WriteReportAsync(reportPath, result, cancellationToken).ConfigureAwait(false);
            }

            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            context.Console.Write(ScoreTable(result));
            context.Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{result.Subject.Device}] {result.GeneratedTokens} tokens generated in {result.WallSeconds:0.00} s ({result.TokensPerSecond:0.0} tok/s), {result.Parallelism} at once; calls: {string.Join(", ", result.Calls.Select(c => $"{c.Key} {c.Value}"))}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table ScoreTable(EvaluationReport report)
    {
        var table = new Table().Title(Markup.Escape($"{report.Subject.Name} on {Path.GetFileName(report.TasksFile)}"));
        table.AddColumn("task");
        table.AddColumn(new TableColumn("items").RightAligned());
        table.AddColumn(new TableColumn("correct").RightAligned());
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        table.AddColumn(new TableColumn("tokens").RightAligned());
        foreach (var task in report.Tasks)
        {
            table.AddRow(Markup.Escape(task.Task), Number(task.Items), Number(task.Correct), Percent(task.Accuracy), Number(task.GeneratedTokens));
        }

        table.AddEmptyRow();
        table.AddRow("[bold]all[/]", Number(report.Items), Number(report.Correct), $"[bold]{Percent(report.Accuracy)}[/]", Number(report.GeneratedTokens));
        foreach (var (name, value) in report.Counters)
        {
            table.AddRow(Markup.Escape(name), string.Empty, string.Empty, string.Empty, value.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static async Task WriteReportAsync(string path, EvaluationReport report, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        // Written beside the target and renamed into place, so that a crash or Ctrl+C never leaves half a report.
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, CliJson.Serialize(report) + "\n", cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task<EvaluationReport> RunWithProgressAsync(CliContext context, Host.Hosting.MedleyHost host, IRequest<EvaluationReport> request, CancellationToken cancellationToken)
    {
        EvaluationReport? report = null;
        await context.Console.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("evaluating", maxValue: 1);
                var sink = new Progress<ProgressUpdate>(update =>
                {
                    task.MaxValue = Math.Max(1, update.Total ?? 1);
                    // Items finish on several threads, so updates can arrive out of order: never move backwards.
                    task.Value = Math.Max(task.Value, update.Completed);
                    task.Description = Markup.Escape($"{task.Value:0}/{update.Total} items");
                });
                IRequest<EvaluationReport> withProgress = request switch
                {
                    EvaluateRun run => run with { Progress = sink },
                    EvaluateModel one => one with { Progress = sink },
                    _ => request,
                };
                report = await host.Mediator.Send(withProgress, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.Description = "done";
            }).ConfigureAwait(false);
        return report!;
    }
}
