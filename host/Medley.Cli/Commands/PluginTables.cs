using System.Text.Json;
using Medley.Cli.Infrastructure;
using Medley.Host.Requests;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary>How plugin listings and details look on a terminal.</summary>
internal static class PluginTables
{
    public static void RenderListing(IAnsiConsole console, PluginListing listing)
    {
        if (listing.Plugins.Count == 0)
        {
            console.MarkupLine("No plugins found. Use [bold]--plugins DIR[/] or install some with [bold]medley plugin install[/].");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Plugin").AddColumn("Version").AddColumn("Status").AddColumn("Source").AddColumn("Strategies");
        foreach (var plugin in listing.Plugins)
        {
            var status = plugin.Status switch
            {
                "loaded" => "[green]loaded[/]",
                "failed" => "[red]failed[/]",
                "unsupported" => "[grey]unsupported here[/]",
                _ => "[grey]shadowed[/]",
            };
            var strategies = string.Join("\n", plugin.Strategies.Select(s => $"{Markup.Escape(s.Name)} [grey]({s.Kind})[/]"));
            table.AddRow(Markup.Escape(plugin.Id), Markup.Escape(plugin.Version ?? "?"), status, Markup.Escape(plugin.Source), strategies.Length == 0 ? "-" : strategies);
        }

        console.Write(table);
        foreach (var failed in listing.Plugins.Where(p => p.Error is not null && p.Status is "failed" or "unsupported"))
        {
            console.MarkupLine($"[red]{Markup.Escape(failed.Id)}[/] [grey]{Markup.Escape(failed.Error!.Code)}[/]: {Markup.Escape(failed.Error.Message)}");
        }
    }

    public static void RenderDetails(IAnsiConsole console, PluginDetails details)
    {
        var plugin = details.Plugin;
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("[bold]Plugin[/]", Markup.Escape($"{plugin.Id} {plugin.Version}"));
        facts.AddRow("[bold]Status[/]", Markup.Escape(plugin.Status));
        facts.AddRow("[bold]Folder[/]", Markup.Escape(plugin.Folder));
        facts.AddRow("[bold]SDK[/]", Markup.Escape(details.Sdk ?? "?"));
        facts.AddRow("[bold]Entry assembly[/]", Markup.Escape(details.EntryAssembly ?? "?"));
        facts.AddRow("[bold]Authors[/]", Markup.Escape(string.Join(", ", details.Authors)));
        facts.AddRow("[bold]License[/]", Markup.Escape(details.License ?? "-"));
        facts.AddRow("[bold]Platforms[/]", Markup.Escape(details.Platforms.Count == 0 ? "any" : string.Join(", ", details.Platforms)));
        facts.AddRow("[bold]Tags[/]", Markup.Escape(string.Join(", ", details.Tags)));
        console.Write(facts);
        if (plugin.Error is not null)
        {
            console.MarkupLine($"[red]{Markup.Escape(plugin.Error.Code)}[/]: {Markup.Escape(plugin.Error.Message)}");
        }

        foreach (var strategy in details.Strategies)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(strategy.Name)}[/] [grey]({Markup.Escape(strategy.Kind)})[/] {Markup.Escape(strategy.Summary)}");
            if (strategy.Roles.Count > 0)
            {
                console.MarkupLine("Roles: " + Markup.Escape(string.Join(", ", strategy.Roles.Select(r => r.Name + (r.Required ? string.Empty : "?") + (r.Multiple ? "*" : string.Empty)))));
            }

            if (strategy.Parameters.Count == 0)
            {
                console.MarkupLine("[grey]No parameters.[/]");
                continue;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Parameter").AddColumn("Type").AddColumn("Scope").AddColumn("Required").AddColumn("Default").AddColumn("Constraints").AddColumn("Description");
            foreach (var p in strategy.Parameters)
            {
                table.AddRow(
                    Markup.Escape(p.Name),
                    Markup.Escape(p.Type),
                    Markup.Escape(p.Scope),
                    p.Required ? "yes" : "no",
                    Markup.Escape(p.Default ?? "-"),
                    Markup.Escape(p.Constraints ?? "-"),
                    Markup.Escape(p.Description ?? string.Empty));
            }

            console.Write(table);
        }
    }

    public static string Pretty(JsonElement element) => JsonSerializer.Serialize(element, CliJson.Options);
}
