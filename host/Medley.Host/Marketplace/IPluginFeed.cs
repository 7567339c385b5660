using NuGet.Versioning;

namespace Medley.Host.Marketplace;

/// <summary>A feed of plugin packages: a local folder or a NuGet v3 service.</summary>
internal interface IPluginFeed
{
    PluginSource Source { get; }

    /// <summary>The newest version of every <c>MedleyPlugin</c> package whose id, summary or tags contain the term.</summary>
    Task<IReadOnlyList<FeedPackage>> SearchAsync(string term, CancellationToken cancellationToken);

    /// <summary>Every version of a package the feed holds (empty when it has none).</summary>
    Task<IReadOnlyList<NuGetVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Copies a package into <paramref name="destination"/>.</summary>
    /// <returns>The feed's own SHA-512 of the package (base64), when the feed publishes one.</returns>
    Task<string?> DownloadAsync(string id, NuGetVersion version, Stream destination, CancellationToken cancellationToken);
}
