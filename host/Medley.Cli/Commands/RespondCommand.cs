using System.CommandLine;
using System.Globalization;
using Medley.Cli.Infrastructure;
using Medley.Host.Responses;
using Medley.Host.Running;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary>
/// <c>medley respond RUN.yml --prompt TEXT</c>: one answer from a run config's chat client (response strategies over
/// local and remote members, or token-level ones), then each member's calls, latency, tokens, cost and wins.
/// </summary>
internal static class RespondCommand
{
    public static Command Create(CommandRunner runner)
    {
        var config = new Argument<string>("RUN.yml") { Description = "The run config: strategy, members by role (local folders or remote endpoints), parameters, sampling" };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The user message", Required = true };
        var system = new Option<string?>("--system") { Description = "A system message before the prompt" };
        var command = new Command("respond", "Answer a prompt with a run config's strategy (any kind, local or remote members) and show each member's accounting")
        {
            config, prompt, system,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var request = new RespondToPrompt(RunConfigReader.Read(parse.GetValue(config)!), parse.GetValue(prompt)!) { System = parse.GetValue(system) };

            await using var host = context.CreateHost();
            var result = await host.Mediator.Send(request, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            await context.Stdout.WriteLineAsync(result.Answer).ConfigureAwait(false);
            Render(context.Console, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, RespondResult result)
    {
        var summary = new Table().Border(TableBorder.Rounded).AddColumn("Counter").AddColumn(new TableColumn("Value").RightAligned());
        summary.AddRow("strategy", Markup.Escape($"{result.Strategy} ({result.Kind})"));
        summary.AddRow("winner", Markup.Escape(result.Winner ?? "-"));
        summary.AddRow("finish", Markup.Escape(result.FinishReason ?? "-"));
        summary.AddRow("seconds", Number(result.Seconds));
        foreach (var (name, value) in result.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            summary.AddRow(Markup.Escape(name), Number(value));
        }

        console.Write(summary);
        var members = new Table().Border(TableBorder.Rounded)
            .AddColumn("Member").AddColumn("Role")
            .AddColumn(new TableColumn("Calls").RightAligned())
            .AddColumn(new TableColumn("Failures").RightAligned())
            .AddColumn(new TableColumn("Attempts").RightAligned())
            .AddColumn(new TableColumn("Mean latency s").RightAligned())
            .AddColumn(new TableColumn("Tokens in").RightAligned())
            .AddColumn(new TableColumn("Tokens out").RightAligned())
            .AddColumn(new TableColumn("Cost").RightAligned())
            .AddColumn("Won");
        foreach (var member in result.Members)
        {
            members.AddRow(
                Markup.Escape(member.Name),
                Markup.Escape(member.Role),
                Number(member.Calls),
                Number(member.Failures),
                Number(member.Attempts),
                Number(member.MeanLatencySeconds),
                Number(member.InputTokens),
                Number(member.OutputTokens),
                member.Cost.ToString("0.######", CultureInfo.InvariantCulture),
                member.Name == result.Winner ? "yes" : string.Empty);
        }

        console.Write(members);
    }

    private static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
}
