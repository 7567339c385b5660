using System.CommandLine;
using Medley.Cli.Infrastructure;
using Medley.Host.Requests;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley providers list</c>: where models can run here, and why not elsewhere.</summary>
internal static class ProvidersCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("providers", "Execution providers (CPU, CUDA, DirectML…): which can run here and on which devices");
        command.Subcommands.Add(CreateList(runner));
        return command;
    }

    private static Command CreateList(CommandRunner runner)
    {
        var list = new Command("list", "Every execution provider, usable or not and why, its devices and its ONNX Runtime library");
        runner.SetAction(list, async (context, cancellationToken) =>
        {
            await using var host = context.CreateHost();
            var listing = await host.Mediator.Send(new ListProviders(), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(listing);
                return ExitCodes.Ok;
            }

            Render(context.Console, listing);
            return ExitCodes.Ok;
        });
        return list;
    }

    private static void Render(IAnsiConsole console, ProviderListing listing)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Device").AddColumn("Provider").AddColumn("Preference").AddColumn("Usable").AddColumn("Devices / reason").AddColumn("ONNX Runtime library");
        foreach (var provider in listing.Providers)
        {
            var usable = provider.Usable ? "[green]yes[/]" : "[red]no[/]";
            var detail = provider.Usable
                ? string.Join("\n", provider.Devices.Select(Markup.Escape)) + (provider.Reason is null ? string.Empty : $"\n[grey]{Markup.Escape(provider.Reason)}[/]")
                : Markup.Escape(provider.Reason ?? "-");
            table.AddRow(
                Markup.Escape(provider.DeviceType),
                Markup.Escape(provider.Origin),
                provider.Preference?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                usable,
                detail,
                Markup.Escape(provider.NativeLibrary ?? "-"));
        }

        console.Write(table);
        console.WriteLine(listing.Auto);
        if (listing.LoadedNativeLibrary is { } loaded)
        {
            console.WriteLine($"ONNX Runtime is already loaded in this process from {loaded}.");
        }
    }
}
