using System.CommandLine;
using Medley.Cli.Infrastructure;
using Medley.Host.Hosting;
using Medley.Host.Marketplace;
using NuGet.Versioning;
using Spectre.Console;

namespace Medley.Cli.Commands;

/// <summary>
/// <c>medley plugin search|install|update|remove|list|verify</c>: getting plugin packages from NuGet feeds into the
/// user's plugin folder, pinned by <c>medley.lock.json</c>. (<c>medley plugins</c> shows what the host loads.)
/// </summary>
internal static class PluginCommand
{
    private static readonly Option<string[]> Sources = new("--source", "-s")
    {
        Description = "A NuGet v3 feed URL or a folder of .nupkg files to use instead of medley.json's \"sources\" (repeatable)",
        Recursive = true,
        HelpName = "URL-OR-DIR",
    };

    private static readonly Option<string> Config = new("--config")
    {
        Description = "The configuration file holding \"sources\" (default ~/.medley/medley.json)",
        Recursive = true,
        HelpName = "FILE",
    };

    private static readonly Option<bool> AllowUnsigned = new("--allow-unsigned")
    {
        Description = "Install packages without a valid signature (plugins run with your rights: only for sources you trust)",
        Recursive = true,
    };

    public static Command Create(CommandRunner runner)
    {
        var command = new Command(
            "plugin",
            "Find, install, update, remove and verify plugin packages from NuGet feeds (see 'medley plugins' for what is loaded)")
        {
            Sources,
            Config,
            AllowUnsigned,
        };
        command.Subcommands.Add(CreateSearch(runner));
        command.Subcommands.Add(CreateInstall(runner));
        command.Subcommands.Add(CreateUpdate(runner));
        command.Subcommands.Add(CreateRemove(runner));
        command.Subcommands.Add(CreateList(runner));
        command.Subcommands.Add(CreateVerify(runner));
        return command;
    }

    private static Command CreateSearch(CommandRunner runner)
    {
        var term = new Argument<string>("term") { Description = "Text the plugin id or summary contains (empty: every plugin)", DefaultValueFactory = _ => string.Empty };
        var search = new Command("search", "Plugin packages (package type MedleyPlugin) the sources offer, newest stable version of each") { term };
        runner.SetAction(search, async (context, cancellationToken) =>
        {
            var packages = await Installer(context).SearchAsync(context.ParseResult.GetValue(term) ?? string.Empty, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { packages = packages.Select(p => new { id = p.Id, version = p.Version.ToNormalizedString(), summary = p.Summary, source = p.Source.Location }) });
                return ExitCodes.Ok;
            }

            if (packages.Count == 0)
            {
                context.Console.MarkupLine("No plugin packages found.");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Plugin").AddColumn("Version").AddColumn("Summary").AddColumn("Source");
            foreach (var package in packages)
            {
                table.AddRow(Markup.Escape(package.Id), Markup.Escape(package.Version.ToNormalizedString()), Markup.Escape(package.Summary), Markup.Escape(package.Source.Location));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return search;
    }

    private static Command CreateInstall(CommandRunner runner)
    {
        var target = new Argument<string>("id[@version]") { Description = "The plugin's package id, optionally with an exact version" };
        var force = new Option<bool>("--force") { Description = "Replace the plugin if it is already installed" };
        var install = new Command("install", "Install the newest version compatible with this host (or the version given) into the user plugin folder") { target, force };
        runner.SetAction(install, async (context, cancellationToken) =>
        {
            var (id, version) = ParseTarget(context.ParseResult.GetValue(target)!);
            var installer = Installer(context);
            var result = await WithProgressAsync(context, progress => installer.InstallAsync(id, version, context.ParseResult.GetValue(force), progress, cancellationToken)).ConfigureAwait(false);
            Report(context, [result]);
            return ExitCodes.Ok;
        });
        return install;
    }

    private static Command CreateUpdate(CommandRunner runner)
    {
        var id = new Argument<string?>("id") { Description = "The plugin to update (default: every installed plugin)", DefaultValueFactory = _ => null };
        var update = new Command("update", "Move installed plugins to the newest version compatible with this host") { id };
        runner.SetAction(update, async (context, cancellationToken) =>
        {
            var installer = Installer(context);
            var results = await WithProgressAsync(context, progress => installer.UpdateAsync(context.ParseResult.GetValue(id), progress, cancellationToken)).ConfigureAwait(false);
            Report(context, results);
            return ExitCodes.Ok;
        });
        return update;
    }

    private static Command CreateRemove(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The installed plugin" };
        var remove = new Command("remove", "Delete the files install wrote for a plugin and its lock entry") { id };
        runner.SetAction(remove, (context, _) =>
        {
            var plugin = context.ParseResult.GetValue(id)!;
            var kept = Installer(context).Remove(plugin);
            if (context.Json)
            {
                context.WriteJson(new { removed = plugin, kept });
                return Task.FromResult(ExitCodes.Ok);
            }

            context.Console.MarkupLine($"[green]removed[/] {Markup.Escape(plugin)}");
            foreach (var file in kept)
            {
                context.Console.MarkupLine($"[yellow]kept[/] {Markup.Escape(file)} (not written by install)");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return remove;
    }

    private static Command CreateList(CommandRunner runner)
    {
        var list = new Command("list", "Plugins installed with 'medley plugin install' (from medley.lock.json) and whether their files still match");
        runner.SetAction(list, (context, _) =>
        {
            var directory = PluginDirectory(context);
            var plugins = PluginInstaller.Inspect(directory);
            if (context.Json)
            {
                context.WriteJson(new { pluginDirectory = directory, lockFile = PluginLock.PathFor(directory), plugins });
                return Task.FromResult(ExitCodes.Ok);
            }

            if (plugins.Count == 0)
            {
                context.Console.MarkupLine($"No plugins installed in {Markup.Escape(directory)}.");
                return Task.FromResult(ExitCodes.Ok);
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Plugin").AddColumn("Version").AddColumn("Status").AddColumn("Source");
            foreach (var plugin in plugins)
            {
                var status = plugin.Status == "ok" ? "[green]ok[/]" : $"[red]{plugin.Status}[/]";
                table.AddRow(Markup.Escape(plugin.Id), Markup.Escape(plugin.Version), status, Markup.Escape(plugin.Source));
            }

            context.Console.Write(table);
            return Task.FromResult(ExitCodes.Ok);
        });
        return list;
    }

    private static Command CreateVerify(CommandRunner runner)
    {
        var verify = new Command("verify", "Compare every installed plugin with medley.lock.json; exits with 3 on any missing, changed or extra file");
        runner.SetAction(verify, (context, _) =>
        {
            var directory = PluginDirectory(context);
            var plugins = PluginInstaller.Inspect(directory);
            var problems = plugins.SelectMany(p => p.Problems).ToList();
            if (context.Json)
            {
                context.WriteJson(new { ok = problems.Count == 0, lockFile = PluginLock.PathFor(directory), problems });
            }
            else if (problems.Count == 0)
            {
                context.Console.MarkupLine($"[green]ok[/]: {plugins.Count} installed plugin(s) match {Markup.Escape(PluginLock.PathFor(directory))}");
            }
            else
            {
                context.Stderr.WriteLine($"error {MarketplaceErrorCodes.LockMismatch}: {problems.Count} mismatch(es) with {PluginLock.PathFor(directory)}:");
                foreach (var problem in problems)
                {
                    context.Stderr.WriteLine($"  - {problem}");
                }
            }

            return Task.FromResult(problems.Count == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput);
        });
        return verify;
    }

    private static PluginInstaller Installer(CliContext context)
    {
        var explicitSources = context.ParseResult.GetValue(Sources) ?? [];
        IReadOnlyList<PluginSource> sources;
        if (explicitSources.Length > 0)
        {
            sources = explicitSources.Select(s => PluginSource.FromText(s, Environment.CurrentDirectory)).ToList();
        }
        else
        {
            var config = context.ParseResult.GetValue(Config);
            sources = MedleyConfigFile.ReadSources(config ?? MedleyConfigFile.DefaultPath, explicitlyNamed: config is not null);
        }

        return new PluginInstaller(PluginDirectory(context), sources, context.ParseResult.GetValue(AllowUnsigned));
    }

    /// <summary>The folder installs go to: the first --plugins DIR, else the user's plugin folder the loader scans.</summary>
    private static string PluginDirectory(CliContext context) =>
        Path.GetFullPath(context.ParseResult.GetValue<string[]>("--plugins") is [var first, ..] ? first : new MedleyOptions().UserPluginDirectory);

    private static (string Id, NuGetVersion? Version) ParseTarget(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (text, null);
        }

        return NuGetVersion.TryParse(text[(at + 1)..], out var version) && at > 0
            ? (text[..at], version)
            : throw new CliUsageException($"'{text}' is not of the form ID or ID@VERSION (e.g. Acme.Merging.Foo@1.2.0).");
    }

    private static async Task<T> WithProgressAsync<T>(CliContext context, Func<IProgress<InstallProgress>?, Task<T>> work)
    {
        if (context.Json || !context.Console.Profile.Capabilities.Interactive)
        {
            return await work(null).ConfigureAwait(false);
        }

        return await context.Console.Status().StartAsync("resolving", status =>
            work(new StatusProgress(status))).ConfigureAwait(false);
    }

    private static void Report(CliContext context, IReadOnlyList<InstalledPlugin> results)
    {
        if (context.Json)
        {
            context.WriteJson(new { plugins = results });
            return;
        }

        foreach (var result in results)
        {
            var what = result.Status switch
            {
                "installed" => "[green]installed[/]",
                "updated" => $"[green]updated[/] from {Markup.Escape(result.PreviousVersion ?? "?")} to",
                _ => "[grey]up to date:[/]",
            };
            context.Console.MarkupLine($"{what} {Markup.Escape(result.Id)} {Markup.Escape(result.Version)} [grey]({Markup.Escape(result.Source)} → {Markup.Escape(result.Folder)})[/]");
        }
    }

    /// <summary>Shows each install step in a Spectre status line; reports arrive synchronously from the installer.</summary>
    private sealed class StatusProgress(StatusContext status) : IProgress<InstallProgress>
    {
        public void Report(InstallProgress value)
        {
            status.Status = Markup.Escape($"{value.Stage.ToString().ToLowerInvariant()} {value.Description}");
            status.Refresh();
        }
    }
}
