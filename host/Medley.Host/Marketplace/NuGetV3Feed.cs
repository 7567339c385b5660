using Medley.Sdk;
using NuGet.Common;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace Medley.Host.Marketplace;

/// <summary>A NuGet v3 feed (its service index URL), read through NuGet.Protocol.</summary>
internal sealed class NuGetV3Feed(PluginSource source) : IPluginFeed
{
    private readonly SourceRepository _repository = Repository.Factory.GetCoreV3(source.Location);

    public PluginSource Source { get; } = source;

    public async Task<IReadOnlyList<FeedPackage>> SearchAsync(string term, CancellationToken cancellationToken)
    {
        var search = await Resource<PackageSearchResource>(cancellationToken).ConfigureAwait(false);
        var filter = new SearchFilter(includePrerelease: false) { PackageType = PluginFeeds.PackageType };
        var results = await Guard(() => search.SearchAsync(term, filter, 0, 100, NullLogger.Instance, cancellationToken)).ConfigureAwait(false);
        return results
            .Select(r => new FeedPackage(r.Identity.Id, r.Identity.Version, (string.IsNullOrWhiteSpace(r.Summary) ? r.Description : r.Summary) ?? string.Empty, Source))
            .OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task<IReadOnlyList<NuGetVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var find = await Resource<FindPackageByIdResource>(cancellationToken).ConfigureAwait(false);
        using var cache = new SourceCacheContext { NoCache = true };
        var versions = await Guard(() => find.GetAllVersionsAsync(id, cache, NullLogger.Instance, cancellationToken)).ConfigureAwait(false);
        return versions.ToList();
    }

    public async Task<string?> DownloadAsync(string id, NuGetVersion version, Stream destination, CancellationToken cancellationToken)
    {
        var find = await Resource<FindPackageByIdResource>(cancellationToken).ConfigureAwait(false);
        using var cache = new SourceCacheContext { NoCache = true };
        var found = await Guard(() => find.CopyNupkgToStreamAsync(id, version, destination, cache, NullLogger.Instance, cancellationToken)).ConfigureAwait(false);
        if (!found)
        {
            throw new MedleyException(MarketplaceErrorCodes.PackageNotFound, $"Plugin source '{Source.Location}' listed {id} {version} but does not serve it.", MedleyErrorKind.Failure);
        }

        // The flat container publishes no hash; the SHA-512 computed on download is pinned in the lock instead.
        return null;
    }

    private async Task<T> Resource<T>(CancellationToken cancellationToken)
        where T : class, INuGetResource =>
        await Guard(() => _repository.GetResourceAsync<T>(cancellationToken)).ConfigureAwait(false)
        ?? throw Unreachable($"the service index does not offer a {typeof(T).Name}", null);

    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or NuGetProtocolException)
        {
            throw Unreachable(ex.Message, ex);
        }
    }

    private MedleyException Unreachable(string reason, Exception? inner) =>
        new(MarketplaceErrorCodes.SourceUnreachable, $"Plugin source '{Source.Location}' is unreachable: {reason}", MedleyErrorKind.Failure, innerException: inner);
}
