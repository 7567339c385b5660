using McMaster.NETCore.Plugins;
using Medley.Sdk;

namespace Medley.Host.Plugins;

/// <summary>One plugin folder the host found, and what became of it.</summary>
public sealed class PluginRecord
{
    internal PluginRecord(string folder, string source, PluginManifest? manifest)
    {
        Folder = folder;
        Source = source;
        Manifest = manifest;
    }

    /// <summary>The plugin's id (the folder name when the manifest could not be read).</summary>
    public string Id => Manifest?.Id ?? Path.GetFileName(Folder);

    /// <summary>The plugin's version, when the manifest could be read.</summary>
    public string? Version => Manifest?.Version;

    /// <summary>The plugin folder.</summary>
    public string Folder { get; }

    /// <summary>Which search location it came from (<c>--plugins</c>, <c>MEDLEY_PLUGIN_PATH</c>, <c>user</c>, <c>bundled</c>).</summary>
    public string Source { get; }

    /// <summary>The validated manifest, when it could be read.</summary>
    public PluginManifest? Manifest { get; }

    /// <summary>Loaded, failed or shadowed.</summary>
    public PluginStatus Status { get; internal set; } = PluginStatus.Failed;

    /// <summary>Why the plugin failed (or which plugin shadows it).</summary>
    public MedleyException? Error { get; internal set; }

    /// <summary>The strategies the plugin provides (empty unless loaded).</summary>
    public IReadOnlyList<StrategyDescriptor> Strategies { get; internal set; } = [];

    internal PluginLoader? Loader { get; set; }

    /// <summary>Native libraries whose digests are checked just before they are first loaded.</summary>
    internal IReadOnlyList<(string Relative, string Expected)> DeferredDigests { get; set; } = [];

    internal bool NativeLibrariesVerified { get; set; }

    internal IServiceProvider? Services { get; set; }

    internal Dictionary<string, IMedleyStrategy> Instances { get; } = new(StringComparer.Ordinal);
}
