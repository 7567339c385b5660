using System.CommandLine;
using System.Globalization;
using Medley.Cli.Infrastructure;
using Medley.Host.Requests;
using Medley.Host.Running;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley run RUN.yml --prompt TEXT</c>: a token-level strategy over several models, streamed, then its counters.</summary>
internal static class RunCommand
{
    public static Command Create(CommandRunner runner)
    {
        var config = new Argument<string>("RUN.yml") { Description = "The run config: strategy, models by role, parameters, sampling" };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The prompt", Required = true };
        var command = new Command("run", "Run a token-level strategy (ensemble or cooperation) on a prompt, streaming its text")
        {
            config, prompt,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var request = new RunStrategy(RunConfigReader.Read(parse.GetValue(config)!), parse.GetValue(prompt)!);

            await using var host = context.CreateHost();
            var text = await context.StreamTextAsync(host.Mediator.CreateStream(request, cancellationToken), cancellationToken).ConfigureAwait(false);

            var stats = request.Statistics;
            if (context.Json)
            {
                context.WriteJson(new { text, statistics = stats });
                return ExitCodes.Ok;
            }

            await context.Stdout.WriteLineAsync().ConfigureAwait(false);
            Render(context.Console, stats);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, RunStatistics stats)
    {
        var summary = new Table().Border(TableBorder.Rounded).AddColumn("Counter").AddColumn(new TableColumn("Value").RightAligned());
        summary.AddRow("strategy", Markup.Escape($"{stats.Strategy} ({stats.Kind})"));
        summary.AddRow("prompt tokens", Number(stats.PromptTokens));
        summary.AddRow("generated tokens", Number(stats.GeneratedTokens));
        summary.AddRow("tokens/s", Number(stats.TokensPerSecond));
        summary.AddRow("stopped", Markup.Escape(stats.StopReason));
        foreach (var (name, value) in stats.Counters)
        {
            summary.AddRow(Markup.Escape(name), Number(value));
        }

        console.Write(summary);
        var members = new Table().Border(TableBorder.Rounded)
            .AddColumn("Member").AddColumn("Role").AddColumn("Device")
            .AddColumn(new TableColumn("Forward calls").RightAligned())
            .AddColumn(new TableColumn("Tokens").RightAligned())
            .AddColumn(new TableColumn("Forward s").RightAligned());
        foreach (var member in stats.Members)
        {
            members.AddRow(
                Markup.Escape(member.Name),
                Markup.Escape(member.Role),
                Markup.Escape(member.Device),
                Number(member.ForwardCalls),
                Number(member.ForwardTokens),
                Number(member.ForwardSeconds));
        }

        console.Write(members);
    }

    private static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
}
