using Medley.Sdk;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace Medley.Host.Marketplace;

/// <summary>
/// A folder of .nupkg files, flat (<c>DIR/*.nupkg</c>) or in NuGet's hierarchical layout
/// (<c>DIR/id/version/id.version.nupkg</c> with its <c>.nupkg.sha512</c>). Nuspecs are read directly, so
/// filtering by package type needs no index.
/// </summary>
internal sealed class LocalFolderFeed(PluginSource source) : IPluginFeed
{
    private List<(FeedPackage Package, string Path)>? _packages;

    public PluginSource Source { get; } = source;

    public Task<IReadOnlyList<FeedPackage>> SearchAsync(string term, CancellationToken cancellationToken)
    {
        IReadOnlyList<FeedPackage> result = Packages(cancellationToken)
            .Select(p => p.Package)
            .Where(p => term.Length == 0
                || p.Id.Contains(term, StringComparison.OrdinalIgnoreCase)
                || p.Summary.Contains(term, StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.Where(p => !p.Version.IsPrerelease).DefaultIfEmpty().MaxBy(p => p?.Version) ?? g.MaxBy(p => p.Version)!)
            .OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<NuGetVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        IReadOnlyList<NuGetVersion> versions = Packages(cancellationToken)
            .Where(p => string.Equals(p.Package.Id, id, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Package.Version)
            .Distinct()
            .ToList();
        return Task.FromResult(versions);
    }

    public async Task<string?> DownloadAsync(string id, NuGetVersion version, Stream destination, CancellationToken cancellationToken)
    {
        var path = Packages(cancellationToken)
            .First(p => string.Equals(p.Package.Id, id, StringComparison.OrdinalIgnoreCase) && p.Package.Version == version).Path;
        await using (var stream = File.OpenRead(path))
        {
            await stream.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }

        // NuGet's hierarchical layout stores the package's SHA-512 (base64) beside it.
        var hashFile = path + ".sha512";
        return File.Exists(hashFile) ? (await File.ReadAllTextAsync(hashFile, cancellationToken).ConfigureAwait(false)).Trim() : null;
    }

    private List<(FeedPackage Package, string Path)> Packages(CancellationToken cancellationToken)
    {
        if (_packages is { } known)
        {
            return known;
        }

        if (!Directory.Exists(Source.Location))
        {
            throw new MedleyException(
                MarketplaceErrorCodes.SourceUnreachable,
                $"Plugin source '{Source.Location}' is unreachable: the folder does not exist.",
                MedleyErrorKind.Failure);
        }

        var packages = new List<(FeedPackage, string)>();
        foreach (var path in Directory.EnumerateFiles(Source.Location, "*.nupkg", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            NuspecReader nuspec;
            try
            {
                using var reader = new PackageArchiveReader(path);
                nuspec = reader.NuspecReader;
                if (!nuspec.GetPackageTypes().Any(t => string.Equals(t.Name, PluginFeeds.PackageType, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var summary = string.IsNullOrWhiteSpace(nuspec.GetSummary()) ? nuspec.GetDescription() : nuspec.GetSummary();
                packages.Add((new FeedPackage(nuspec.GetId(), nuspec.GetVersion(), summary ?? string.Empty, Source), path));
            }
            catch (Exception ex) when (ex is InvalidDataException or PackagingException or IOException)
            {
                // An unreadable file is not a plugin package; installing it by name fails with its own error later.
                continue;
            }
        }

        _packages = packages;
        return packages;
    }
}
