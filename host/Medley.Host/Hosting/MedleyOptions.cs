namespace Medley.Host.Hosting;

/// <summary>How an embedded Medley host finds its plugins.</summary>
public sealed class MedleyOptions
{
    /// <summary>The environment variable holding extra plugin directories (separated by the platform's path separator).</summary>
    public const string PluginPathVariable = "MEDLEY_PLUGIN_PATH";

    /// <summary>Directories searched first, in order (the CLI's <c>--plugins</c>).</summary>
    public IList<string> PluginDirectories { get; } = [];

    /// <summary>Whether to search <see cref="PluginPathVariable"/>, the user's plugin folder and the folder beside the host.</summary>
    public bool UseDefaultPluginLocations { get; set; } = true;

    /// <summary>The user's plugin folder; defaults to <c>~/.medley/plugins</c>.</summary>
    public string UserPluginDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".medley", "plugins");

    /// <summary>The plugins shipped with the host; defaults to <c>plugins/</c> beside the host's assemblies.</summary>
    public string BundledPluginDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>
    /// Strategy name to plugin id: when two plugins provide the same strategy, the pinned one provides it and
    /// the other plugin is refused. Without a pin, both are refused.
    /// </summary>
    public IDictionary<string, string> StrategyPins { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether plugins without native libraries are loaded into collectible contexts (so they can be unloaded).</summary>
    public bool UnloadablePlugins { get; set; } = true;

    /// <summary>Default time limit for requests that take one; <see langword="null"/> for none.</summary>
    public TimeSpan? DefaultTimeLimit { get; set; }
}
