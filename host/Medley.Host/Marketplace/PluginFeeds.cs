namespace Medley.Host.Marketplace;

/// <summary>Opens the right feed implementation for a source.</summary>
internal static class PluginFeeds
{
    public const string PackageType = "MedleyPlugin";

    public static IPluginFeed Open(PluginSource source) =>
        source.IsHttp ? new NuGetV3Feed(source) : new LocalFolderFeed(source);
}
