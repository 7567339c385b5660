using System.CommandLine;
using System.Globalization;
using Medley.Cli.Infrastructure;
using Medley.Host.Demo;
using Medley.Sdk;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley demo</c>: the README's main job — merges and strategies on the bundled skills models, scored.</summary>
internal static class DemoCommand
{
    /// <summary>Where the CLI's build copies the bundled skills suite (tests/fixtures/skills).</summary>
    public static string BundledSkills => Path.Combine(AppContext.BaseDirectory, "skills");

    public static Command Create(CommandRunner runner)
    {
        var skills = new Option<string>("--skills") { Description = "The skills suite folder (models/ and tasks/)", DefaultValueFactory = _ => BundledSkills, HelpName = "DIR" };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N items of each task", HelpName = "N" };
        var work = new Option<string?>("--keep") { Description = "Keep the merged and exported models in this folder (otherwise a temporary folder, deleted at the end)", HelpName = "DIR" };
        var parallel = new Option<int>("--parallel") { Description = "Items decoded at once", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "N" };
        var command = new Command("demo", "Merge the bundled skill fine-tunes, run the strategies and score everything on held-out tasks")
        {
            skills, limit, work, parallel,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var request = new SkillsDemo(parse.GetValue(skills)!)
            {
                Limit = parse.GetValue(limit),
                WorkFolder = parse.GetValue(work),
                Parallelism = parse.GetValue(parallel),
            };
            await using var host = context.CreateHost();
            DemoReport report;
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

            context.Console.Write(ScoreTable(report));
            foreach (var finding in report.Findings)
            {
                context.Console.MarkupLine($"{(finding.Holds ? "[green]✓[/]" : "[red]✗[/]")} {Markup.Escape(finding.Claim)}: {Markup.Escape(finding.Evidence)}");
            }

            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.ItemsPerTask.Values.Sum()} items × {report.Rows.Count} rows in {report.WallSeconds:0.0} s; every number above was computed in this run."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table ScoreTable(DemoReport report)
    {
        var table = new Table().Title("Exact-match accuracy on held-out skills items (normalized: ÷ the task's own fine-tune)");
        table.AddColumn("row");
        table.AddColumn("kind");
        foreach (var task in report.Tasks)
        {
            table.AddColumn(new TableColumn(Markup.Escape($"{task} ({report.ItemsPerTask.GetValueOrDefault(task)})")).RightAligned());
        }

        table.AddColumn(new TableColumn("mean").RightAligned());
        table.AddColumn(new TableColumn("min normalized").RightAligned());
        table.AddColumn(new TableColumn("tok/s").RightAligned());
        table.AddColumn("how");
        string? group = null;
        foreach (var row in report.Rows)
        {
            if (group is not null && row.Group != group)
            {
                table.AddEmptyRow();
            }

            group = row.Group;
            var name = row.Name == report.BestMerge ? $"[bold]{Markup.Escape(row.Name)}[/]" : Markup.Escape(row.Name);
            var cells = new List<string> { name, row.Group };
            cells.AddRange(report.Tasks.Select(t => Percent(row.Accuracy[t])));
            cells.Add($"[bold]{Percent(row.Average)}[/]");
            cells.Add(row.MinimumNormalized is { } n ? Percent(n) : "–");
            cells.Add(row.TokensPerSecond.ToString("0", CultureInfo.InvariantCulture));
            cells.Add(Markup.Escape(row.Description));
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task<DemoReport> RunWithProgressAsync(CliContext context, Host.Hosting.MedleyHost host, SkillsDemo request, CancellationToken cancellationToken)
    {
        DemoReport? report = null;
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("demo", maxValue: 1);
                var sink = new Progress<ProgressUpdate>(update =>
                {
                    task.MaxValue = Math.Max(1, update.Total ?? 1);
                    task.Value = Math.Max(task.Value, update.Completed);
                    task.Description = Markup.Escape(update.Item is null ? "done" : $"{update.Item} ({update.Completed + 1}/{update.Total})");
                });
                report = await host.Mediator.Send(request with { Progress = sink }, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return report!;
    }
}
