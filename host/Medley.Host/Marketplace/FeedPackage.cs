using NuGet.Versioning;

namespace Medley.Host.Marketplace;

/// <summary>A plugin package a feed offers.</summary>
/// <param name="Id">Package id (= plugin id).</param>
/// <param name="Version">Package version (= plugin version).</param>
/// <param name="Summary">The package's summary or description.</param>
/// <param name="Source">The feed.</param>
internal sealed record FeedPackage(string Id, NuGetVersion Version, string Summary, PluginSource Source);
