namespace Medley.Host.Plugins;

/// <summary>Stable error codes for plugin problems (see docs/errors.md).</summary>
public static class PluginErrorCodes
{
    /// <summary>The folder has no manifest.</summary>
    public const string ManifestMissing = "plugin.manifest.missing";

    /// <summary>The manifest is not JSON.</summary>
    public const string ManifestNotJson = "plugin.manifest.not-json";

    /// <summary>The manifest breaks the schema or a rule beside it.</summary>
    public const string ManifestInvalid = "plugin.manifest.invalid";

    /// <summary>The plugin's SDK range excludes this host.</summary>
    public const string SdkIncompatible = "plugin.sdk-incompatible";

    /// <summary>The plugin does not run on this platform.</summary>
    public const string PlatformUnsupported = "plugin.platform-unsupported";

    /// <summary>The entry assembly is missing.</summary>
    public const string EntryAssemblyMissing = "plugin.entry-assembly-missing";

    /// <summary>A file's digest differs from the manifest's.</summary>
    public const string FileDigestMismatch = "plugin.file-digest-mismatch";

    /// <summary>The entry assembly could not be loaded.</summary>
    public const string LoadFailed = "plugin.load-failed";

    /// <summary>A declared strategy has no implementation.</summary>
    public const string StrategyNotFound = "plugin.strategy-not-found";

    /// <summary>An implemented strategy is not declared.</summary>
    public const string StrategyUndeclared = "plugin.strategy-undeclared";

    /// <summary>A strategy's constructor threw.</summary>
    public const string StrategyConstructorFailed = "plugin.strategy-constructor-failed";

    /// <summary>Two plugins declare the same strategy name.</summary>
    public const string StrategyDuplicate = "plugin.strategy-duplicate";

    /// <summary>No plugin provides the requested strategy.</summary>
    public const string StrategyUnknown = "strategy.unknown";

    /// <summary>No plugin matches the requested id.</summary>
    public const string PluginUnknown = "plugin.unknown";
}
