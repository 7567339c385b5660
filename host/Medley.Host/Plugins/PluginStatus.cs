namespace Medley.Host.Plugins;

/// <summary>What became of a plugin folder the host found.</summary>
public enum PluginStatus
{
    /// <summary>Loaded; its strategies are usable.</summary>
    Loaded,

    /// <summary>Refused; <see cref="PluginRecord.Error"/> says why. Other plugins are unaffected.</summary>
    Failed,

    /// <summary>Not loaded because a plugin with the same id was found earlier in the search order.</summary>
    Shadowed,

    /// <summary>Not loaded because its manifest's <c>platforms</c> exclude this machine (e.g. DirectML on Linux); not an error.</summary>
    Unsupported,
}
