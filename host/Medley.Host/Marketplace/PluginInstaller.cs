using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Medley.Host.Plugins;
using Medley.Sdk;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Versioning;

namespace Medley.Host.Marketplace;

/// <summary>
/// Installs, updates and removes plugin packages in one plugin directory, keeping its <c>medley.lock.json</c>.
/// Everything is prepared in a staging folder beside the plugin directory (same filesystem, so the final
/// move is a rename); a failure or cancellation before that move leaves the directory and the lock untouched.
/// </summary>
internal sealed class PluginInstaller
{
    private const string StagingFolderName = ".medley-staging";

    private readonly string _pluginDirectory;
    private readonly IReadOnlyList<PluginSource> _sources;
    private readonly bool _allowUnsigned;

    public PluginInstaller(string pluginDirectory, IReadOnlyList<PluginSource> sources, bool allowUnsigned)
    {
        _pluginDirectory = PluginLock.Normalize(pluginDirectory);
        _sources = sources;
        _allowUnsigned = allowUnsigned;
    }

    public string PluginDirectory => _pluginDirectory;

    public string StagingRoot => Path.Combine(Path.GetDirectoryName(_pluginDirectory) ?? _pluginDirectory, StagingFolderName);

    public async Task<IReadOnlyList<FeedPackage>> SearchAsync(string term, CancellationToken cancellationToken)
    {
        var found = new List<FeedPackage>();
        foreach (var source in RequireSources())
        {
            found.AddRange(await PluginFeeds.Open(source).SearchAsync(term, cancellationToken).ConfigureAwait(false));
        }

        // One row per id: its newest stable version over all sources.
        return found.GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase).Select(g => g.MaxBy(p => p.Version)!)
            .OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Installs the newest compatible version of a plugin, or the version asked for.</summary>
    /// <param name="id">Plugin (= package) id.</param>
    /// <param name="version">An exact version, or <see langword="null"/> for the newest compatible stable one.</param>
    /// <param name="replace">Whether an installed plugin with this id may be replaced (--force, update).</param>
    /// <param name="progress">Told of each step, synchronously.</param>
    /// <param name="cancellationToken">Cancels the install; nothing is left behind.</param>
    public async Task<InstalledPlugin> InstallAsync(string id, NuGetVersion? version, bool replace, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var lockFile = PluginLock.ReadOrEmpty(_pluginDirectory);
        var existing = lockFile.Find(id);
        var existingFolder = Path.Combine(_pluginDirectory, existing?.Folder ?? id);
        if (!replace && (existing is not null || Directory.Exists(existingFolder)))
        {
            throw new MedleyException(
                MarketplaceErrorCodes.AlreadyInstalled,
                $"Plugin '{id}' is already installed in {existingFolder}{(existing is null ? string.Empty : $" (version {existing.Version})")}; use 'medley plugin update {id}' or install with --force to replace it.");
        }

        progress?.Report(new InstallProgress(InstallStage.Resolving, id));
        var candidates = await CandidatesAsync(id, version, cancellationToken).ConfigureAwait(false);
        var staging = Path.Combine(StagingRoot, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(staging);
            var refusals = new List<string>();
            foreach (var candidate in candidates)
            {
                var attempt = Path.Combine(staging, candidate.Version.ToNormalizedString());
                var prepared = await PrepareAsync(candidate, attempt, progress, cancellationToken).ConfigureAwait(false);
                var refusal = Incompatibility(prepared.Manifest, candidate);
                if (refusal is null)
                {
                    // The last point where cancelling changes nothing; the move and the lock write run to the end.
                    progress?.Report(new InstallProgress(InstallStage.Moving, _pluginDirectory));
                    cancellationToken.ThrowIfCancellationRequested();
                    return Commit(lockFile, existing, candidate, prepared, staging);
                }

                if (version is not null || candidates.Count == 1)
                {
                    throw refusal;
                }

                refusals.Add(refusal.Message);
            }

            throw new MedleyException(
                MarketplaceErrorCodes.NoCompatibleVersion,
                $"No version of plugin '{id}' works with this host (Medley.Sdk {SdkCompatibility.HostSdkVersion}, {RuntimeInformation.RuntimeIdentifier}): {string.Join("; ", refusals)}",
                details: refusals);
        }
        finally
        {
            DeleteStaging(staging);
        }
    }

    /// <summary>Moves installed plugins (one, or every one in the lock) to their newest compatible version.</summary>
    public async Task<IReadOnlyList<InstalledPlugin>> UpdateAsync(string? id, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var lockFile = PluginLock.ReadOrEmpty(_pluginDirectory);
        var entries = id is null ? lockFile.Plugins.ToList() : [lockFile.Find(id) ?? throw NotInstalled(id)];
        var results = new List<InstalledPlugin>();
        foreach (var entry in entries)
        {
            var installed = NuGetVersion.Parse(entry.Version);
            var newer = (await CandidatesAsync(entry.Id, null, cancellationToken).ConfigureAwait(false)).Where(c => c.Version > installed);
            InstalledPlugin? updated = null;
            foreach (var candidate in newer)
            {
                try
                {
                    // Only versions above the installed one: an update never reinstalls or downgrades.
                    updated = await InstallAsync(entry.Id, candidate.Version, replace: true, progress, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (MedleyException ex) when (ex.Code is MarketplaceErrorCodes.SdkIncompatible or MarketplaceErrorCodes.PlatformUnsupported)
                {
                    continue;
                }
            }

            results.Add(updated ?? new InstalledPlugin(entry.Id, entry.Version, entry.Version, entry.Source, entry.PackageSha512, Path.Combine(_pluginDirectory, entry.Folder), "up-to-date"));
        }

        return results;
    }

    /// <summary>Deletes the files install wrote for a plugin (files added later stay, and are returned) and its lock entry.</summary>
    public IReadOnlyList<string> Remove(string id)
    {
        var lockFile = PluginLock.ReadOrEmpty(_pluginDirectory);
        var entry = lockFile.Find(id) ?? throw NotInstalled(id);
        var folder = Path.Combine(_pluginDirectory, entry.Folder);
        foreach (var relative in entry.Files.Keys)
        {
            var path = Path.Combine(folder, relative);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        var kept = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList() : [];
        if (Directory.Exists(folder))
        {
            // Deepest first, so that emptied parents go too; a folder still holding a kept file stays.
            foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(folder))
            {
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
        }

        lockFile.Plugins.Remove(entry);
        lockFile.Write();
        return kept;
    }

    /// <summary>Every lock entry with the state of its folder.</summary>
    public static IReadOnlyList<LockedPluginStatus> Inspect(string pluginDirectory)
    {
        var lockFile = PluginLock.ReadOrEmpty(pluginDirectory);
        return lockFile.Plugins
            .OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .Select(entry =>
            {
                var problems = PluginLockVerifier.Check(lockFile.PluginDirectory, entry);
                var status = problems.Count == 0 ? "ok" : Directory.Exists(Path.Combine(lockFile.PluginDirectory, entry.Folder)) ? "modified" : "missing";
                return new LockedPluginStatus(entry.Id, entry.Version, entry.Source, status, problems);
            })
            .ToList();
    }

    private IReadOnlyList<PluginSource> RequireSources() =>
        _sources.Count > 0
            ? _sources
            : throw new MedleyException(
                MarketplaceErrorCodes.NoSources,
                $"No plugin sources are configured: add \"sources\": [\"https://…/v3/index.json\" or a folder] to {MedleyConfigFile.DefaultPath} (or --config FILE), or pass --source. Medley installs only from sources you name.");

    private async Task<IReadOnlyList<FeedPackage>> CandidatesAsync(string id, NuGetVersion? version, CancellationToken cancellationToken)
    {
        var candidates = new List<FeedPackage>();
        foreach (var source in RequireSources())
        {
            var feed = PluginFeeds.Open(source);
            foreach (var available in await feed.GetVersionsAsync(id, cancellationToken).ConfigureAwait(false))
            {
                // Prereleases only when asked for by version; the first source holding a version wins.
                var wanted = version is null ? !available.IsPrerelease : available == version;
                if (wanted && candidates.All(c => c.Version != available))
                {
                    candidates.Add(new FeedPackage(id, available, string.Empty, source));
                }
            }
        }

        if (candidates.Count == 0)
        {
            var what = version is null ? $"a stable version of plugin '{id}'" : $"plugin '{id}' version {version}";
            throw new MedleyException(
                MarketplaceErrorCodes.PackageNotFound,
                $"No source has {what}. Searched: {string.Join(", ", _sources.Select(s => s.Location))}.");
        }

        return candidates.OrderByDescending(c => c.Version).ToList();
    }

    private sealed record PreparedPackage(string Folder, PluginManifest Manifest, string Sha512, string ExactId);

    private async Task<PreparedPackage> PrepareAsync(FeedPackage candidate, string attempt, IProgress<InstallProgress>? progress, CancellationToken cancellationToken)
    {
        var name = $"{candidate.Id} {candidate.Version.ToNormalizedString()} from {candidate.Source.Location}";
        Directory.CreateDirectory(attempt);
        var packagePath = Path.Combine(attempt, "package.nupkg");
        progress?.Report(new InstallProgress(InstallStage.Downloading, name));
        string? feedHash;
        await using (var file = new FileStream(packagePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            feedHash = await PluginFeeds.Open(candidate.Source).DownloadAsync(candidate.Id, candidate.Version, file, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new InstallProgress(InstallStage.Verifying, name));
        byte[] sha512;
        await using (var stream = File.OpenRead(packagePath))
        {
            sha512 = await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        if (feedHash is not null && !string.Equals(feedHash, Convert.ToBase64String(sha512), StringComparison.Ordinal))
        {
            throw new MedleyException(
                MarketplaceErrorCodes.HashMismatch,
                $"Package {name} has SHA-512 {Convert.ToBase64String(sha512)} but the source publishes {feedHash}: the download is corrupt or the package was replaced; refusing it.");
        }

        var exactId = await CheckPackageAsync(packagePath, name, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new InstallProgress(InstallStage.Extracting, name));
        var folder = Path.Combine(attempt, "plugin");
        PluginPackageExtractor.Extract(packagePath, folder, name, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new InstallProgress(InstallStage.Validating, name));
        PluginManifest manifest;
        try
        {
            manifest = ManifestReader.Read(folder);
        }
        catch (MedleyException ex)
        {
            throw new MedleyException(ex.Code, $"Package {name}: {ex.Message.Replace(folder, "plugin", StringComparison.Ordinal)}", details: ex.Details, innerException: ex);
        }

        if (!string.Equals(manifest.Id, exactId, StringComparison.OrdinalIgnoreCase)
            || !NuGetVersion.TryParse(manifest.Version, out var manifestVersion) || manifestVersion != candidate.Version)
        {
            throw new MedleyException(
                MarketplaceErrorCodes.IdentityMismatch,
                $"Package {name} carries a manifest for '{manifest.Id}' {manifest.Version}; a plugin package's id and version must equal its manifest's.");
        }

        CheckDigests(folder, manifest, name);
        cancellationToken.ThrowIfCancellationRequested();
        return new PreparedPackage(folder, manifest, Convert.ToHexStringLower(sha512), exactId);
    }

    private async Task<string> CheckPackageAsync(string packagePath, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new PackageArchiveReader(packagePath);
            var nuspec = reader.NuspecReader;
            if (!nuspec.GetPackageTypes().Any(t => string.Equals(t.Name, PluginFeeds.PackageType, StringComparison.OrdinalIgnoreCase)))
            {
                throw new MedleyException(MarketplaceErrorCodes.NotAPlugin, $"Package {name} is not a Medley plugin: its nuspec lacks <packageType name=\"{PluginFeeds.PackageType}\"/>.");
            }

            await CheckSignatureAsync(reader, name, cancellationToken).ConfigureAwait(false);
            return nuspec.GetId();
        }
        catch (Exception ex) when (ex is InvalidDataException or PackagingException)
        {
            throw new MedleyException(MarketplaceErrorCodes.PackageUnreadable, $"Package {name} is not a readable NuGet package: {ex.Message}", innerException: ex);
        }
    }

    private async Task CheckSignatureAsync(PackageArchiveReader reader, string name, CancellationToken cancellationToken)
    {
        if (!await reader.IsSignedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!_allowUnsigned)
            {
                throw new MedleyException(
                    MarketplaceErrorCodes.Unsigned,
                    $"Package {name} is unsigned. A plugin runs inside Medley with your user's rights, and only a signature shows who published it and that it was not altered; pass --allow-unsigned to install it anyway if you trust the source.");
            }

            return;
        }

        var verifier = new PackageSignatureVerifier([new IntegrityVerificationProvider(), new SignatureTrustAndValidityVerificationProvider()]);
        var result = await verifier.VerifySignaturesAsync(reader, SignedPackageVerifierSettings.GetVerifyCommandDefaultPolicy(), cancellationToken).ConfigureAwait(false);
        if (!result.IsValid && !_allowUnsigned)
        {
            var issues = result.Results.SelectMany(r => r.GetErrorIssues()).Select(i => i.Message).ToList();
            throw new MedleyException(
                MarketplaceErrorCodes.SignatureInvalid,
                $"Package {name} has a signature that does not verify ({string.Join("; ", issues)}). Refusing it: a plugin runs with your user's rights; pass --allow-unsigned only if you trust the source regardless.",
                details: issues);
        }
    }

    private static void CheckDigests(string folder, PluginManifest manifest, string name)
    {
        var problems = new List<string>();
        if (manifest.Files is null)
        {
            problems.Add($"the manifest has no 'files' digests (the plugin build stamps them)");
        }
        else
        {
            var actual = FileDigests.Compute(folder);
            foreach (var (relative, expected) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (!actual.TryGetValue(relative, out var digest))
                {
                    problems.Add($"file '{relative}' is listed in 'files' but missing");
                }
                else if (!string.Equals(digest, expected, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"file '{relative}' has SHA-256 {digest} but 'files' expects {expected}");
                }
            }

            problems.AddRange(actual.Keys
                .Where(r => r != PluginManifest.FileName && !manifest.Files.ContainsKey(r))
                .Select(r => $"file '{r}' is not listed in 'files'"));
        }

        if (problems.Count > 0)
        {
            throw new MedleyException(
                MarketplaceErrorCodes.DigestMismatch,
                $"Package {name} does not match its manifest: {string.Join("; ", problems)}.",
                details: problems);
        }
    }

    private static MedleyException? Incompatibility(PluginManifest manifest, FeedPackage candidate)
    {
        var version = candidate.Version.ToNormalizedString();
        if (!SdkCompatibility.TryParseRange(manifest.Sdk, out var range) || !range.Satisfies(SdkCompatibility.HostSdkVersion))
        {
            return new MedleyException(
                MarketplaceErrorCodes.SdkIncompatible,
                $"Plugin '{manifest.Id}' {version} requires Medley.Sdk {manifest.Sdk} but this host provides Medley.Sdk {SdkCompatibility.HostSdkVersion}.");
        }

        if (!PlatformMatcher.Supports(manifest.Platforms))
        {
            return new MedleyException(
                MarketplaceErrorCodes.PlatformUnsupported,
                $"Plugin '{manifest.Id}' {version} supports platforms [{string.Join(", ", manifest.Platforms)}] but this host runs on {RuntimeInformation.RuntimeIdentifier}.");
        }

        return null;
    }

    private InstalledPlugin Commit(PluginLock lockFile, PluginLockEntry? existing, FeedPackage candidate, PreparedPackage prepared, string staging)
    {
        Directory.CreateDirectory(_pluginDirectory);
        var folderName = existing?.Folder ?? prepared.ExactId;
        var target = Path.Combine(_pluginDirectory, folderName);
        var previous = Path.Combine(staging, "previous");
        var entry = new PluginLockEntry
        {
            Id = prepared.ExactId,
            Version = candidate.Version.ToNormalizedString(),
            Source = candidate.Source.Location,
            PackageSha512 = prepared.Sha512,
            Folder = folderName,
            Files = FileDigests.Compute(prepared.Folder),
        };
        var hadPrevious = Directory.Exists(target);
        if (hadPrevious)
        {
            Directory.Move(target, previous);
        }

        var moved = false;
        try
        {
            Directory.Move(prepared.Folder, target);
            moved = true;
            lockFile.Plugins.RemoveAll(p => string.Equals(p.Id, entry.Id, StringComparison.OrdinalIgnoreCase));
            lockFile.Plugins.Add(entry);
            lockFile.Write();
        }
        catch
        {
            // Take the new folder out and put the previous plugin back, so that a failed commit changes nothing.
            if (moved)
            {
                Directory.Delete(target, recursive: true);
            }

            if (hadPrevious)
            {
                Directory.Move(previous, target);
            }

            throw;
        }

        return new InstalledPlugin(entry.Id, entry.Version, existing?.Version, entry.Source, entry.PackageSha512, target, existing is null ? "installed" : "updated");
    }

    private void DeleteStaging(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        if (Directory.Exists(StagingRoot) && !Directory.EnumerateFileSystemEntries(StagingRoot).Any())
        {
            Directory.Delete(StagingRoot);
        }
    }

    private MedleyException NotInstalled(string id) =>
        new(MarketplaceErrorCodes.NotInstalled, $"Plugin '{id}' is not installed in {_pluginDirectory} (it has no entry in {PluginLock.PathFor(_pluginDirectory)}).");
}
