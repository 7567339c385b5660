using System.CommandLine;

namespace Medley.Cli.Infrastructure;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON instead of tables",
        Recursive = true,
    };

    public Option<string[]> Plugins { get; } = new("--plugins")
    {
        Description = "Also load plugins from DIR (searched first; repeatable)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
        HelpName = "DIR",
    };

    public Option<bool> NoDefaultPlugins { get; } = new("--no-default-plugins")
    {
        Description = "Search only the --plugins directories (not MEDLEY_PLUGIN_PATH, ~/.medley/plugins or the bundled plugins)",
        Recursive = true,
    };

    public Option<string[]> Pins { get; } = new("--pin")
    {
        Description = "STRATEGY=PLUGIN-ID: which plugin provides a strategy that several plugins declare (repeatable)",
        Recursive = true,
        HelpName = "STRATEGY=PLUGIN",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show logs (and stack traces of internal errors)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Json);
        root.Options.Add(Plugins);
        root.Options.Add(NoDefaultPlugins);
        root.Options.Add(Pins);
        root.Options.Add(Verbose);
    }
}
