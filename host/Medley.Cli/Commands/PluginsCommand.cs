using System.CommandLine;
using System.Text.Json;
using Medley.Cli.Infrastructure;
using Medley.Host.Requests;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley plugins list|inspect|check</c>: what is installed and what each strategy accepts.</summary>
internal static class PluginsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("plugins", "List and inspect the plugins this host loads and their strategies (see 'medley plugin' to install packages)");
        command.Subcommands.Add(CreateList(runner));
        command.Subcommands.Add(CreateInspect(runner));
        command.Subcommands.Add(CreateCheck(runner));
        return command;
    }

    private static Command CreateList(CommandRunner runner)
    {
        var list = new Command("list", "Every plugin found, in search order, with its status and strategies");
        runner.SetAction(list, async (context, cancellationToken) =>
        {
            await using var host = context.CreateHost();
            var listing = await host.Mediator.Send(new ListPlugins(), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(listing);
                return ExitCodes.Ok;
            }

            PluginTables.RenderListing(context.Console, listing);
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command CreateInspect(CommandRunner runner)
    {
        var target = new Argument<string>("id-or-strategy") { Description = "A plugin id or the name of a strategy it provides" };
        var inspect = new Command("inspect", "A plugin's manifest, strategies and parameter schemas") { target };
        runner.SetAction(inspect, async (context, cancellationToken) =>
        {
            await using var host = context.CreateHost();
            var details = await host.Mediator.Send(new InspectPlugin(context.ParseResult.GetValue(target)!), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(details);
            }
            else
            {
                PluginTables.RenderDetails(context.Console, details);
            }

            // A plugin that failed to load is a problem with what the user installed: say so in the exit code.
            if (details.Plugin.Status == "failed" && details.Plugin.Error is { } error)
            {
                if (!context.Json)
                {
                    CommandRunner.ReportError(context, error.Code, error.Message, []);
                }

                return ExitCodes.InvalidInput;
            }

            return ExitCodes.Ok;
        });
        return inspect;
    }

    private static Command CreateCheck(CommandRunner runner)
    {
        var strategy = new Argument<string>("strategy") { Description = "A strategy name" };
        var parameters = new Option<string>("--parameters", "-p")
        {
            Description = "The parameters as a JSON object, e.g. '{\"density\": 0.5}'",
            DefaultValueFactory = _ => "{}",
        };
        var check = new Command("check", "Validate a parameter block against a strategy's schema and show what it receives") { strategy, parameters };
        runner.SetAction(check, async (context, cancellationToken) =>
        {
            JsonElement json;
            var text = context.ParseResult.GetValue(parameters)!;
            try
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new Medley.Sdk.MedleyException("cli.parameters.not-json", $"--parameters is not valid JSON: {ex.Message}");
            }

            await using var host = context.CreateHost();
            var result = await host.Mediator.Send(new CheckStrategyParameters(context.ParseResult.GetValue(strategy)!, json), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            context.Console.MarkupLine($"[green]valid[/] parameters for {result.Kind} strategy [bold]{Markup.Escape(result.Strategy)}[/] (plugin {Markup.Escape(result.PluginId)}):");
            context.Console.WriteLine(JsonSerializer.Serialize(result.Effective, CliJson.Options));
            return ExitCodes.Ok;
        });
        return check;
    }
}
