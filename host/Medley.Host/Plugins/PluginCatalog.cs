using System.Runtime.CompilerServices;
using Medley.Host.Hosting;
using Medley.Host.Marketplace;
using Medley.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Host.Plugins;

/// <summary>
/// Every plugin the host found, loaded once on first use, and the registry of their strategies.
/// A plugin that fails is recorded with its reason; it never stops the others from loading.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private readonly MedleyOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private List<PluginRecord>? _plugins;
    private Dictionary<string, PluginRecord> _byStrategy = new(StringComparer.Ordinal);

    /// <summary>Creates a catalog; nothing is loaded until it is first used.</summary>
    /// <param name="options">Where to look for plugins.</param>
    /// <param name="loggerFactory">Loggers for the host and the plugins.</param>
    public PluginCatalog(MedleyOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Medley.Plugins");
    }

    /// <summary>Every plugin folder found, in search order, with what became of it.</summary>
    public IReadOnlyList<PluginRecord> Plugins => EnsureLoaded();

    /// <summary>Every usable strategy, sorted by kind and name.</summary>
    public IReadOnlyList<StrategyDescriptor> Strategies
    {
        get
        {
            EnsureLoaded();
            return _byStrategy
                .Select(pair => pair.Value.Strategies.First(s => s.Name == pair.Key))
                .OrderBy(s => s.Kind).ThenBy(s => s.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Finds a plugin by id.</summary>
    /// <param name="id">The plugin id (case-insensitive).</param>
    /// <returns>The plugin.</returns>
    /// <exception cref="MedleyException">When no plugin has that id.</exception>
    public PluginRecord GetPlugin(string id) =>
        EnsureLoaded().FirstOrDefault(p => p.Status != PluginStatus.Shadowed && string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new MedleyException(
            PluginErrorCodes.PluginUnknown,
            $"No plugin has id '{id}'. Known plugins: {Describe(EnsureLoaded().Select(p => p.Id).Distinct())}.");

    /// <summary>Whether a usable strategy has this name.</summary>
    /// <param name="name">Strategy name.</param>
    /// <param name="descriptor">The strategy when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetStrategy(string name, [NotNullWhen(true)] out StrategyDescriptor? descriptor)
    {
        EnsureLoaded();
        descriptor = _byStrategy.TryGetValue(name, out var plugin) ? plugin.Strategies.First(s => s.Name == name) : null;
        return descriptor is not null;
    }

    /// <summary>Finds a usable strategy.</summary>
    /// <param name="name">Strategy name.</param>
    /// <param name="kind">The kind required, if any.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="MedleyException">When none matches, listing the strategies available.</exception>
    public StrategyDescriptor GetStrategy(string name, StrategyKind? kind = null)
    {
        if (TryGetStrategy(name, out var descriptor) && (kind is null || descriptor.Kind == kind))
        {
            return descriptor;
        }

        var candidates = Strategies.Where(s => kind is null || s.Kind == kind).Select(s => s.Name);
        var what = kind is null ? "strategy" : $"{StrategyKinds.ToName(kind.Value)} strategy";
        var reason = descriptor is not null
            ? $" ('{name}' exists but is a {StrategyKinds.ToName(descriptor.Kind)} strategy)"
            : FailedProviderNote(name);
        throw new MedleyException(
            PluginErrorCodes.StrategyUnknown,
            $"No {what} named '{name}'{reason}. Available: {Describe(candidates)}.");
    }

    /// <summary>The strategy instance for a name.</summary>
    /// <typeparam name="TContract">The SDK contract expected.</typeparam>
    /// <param name="name">Strategy name.</param>
    /// <returns>The strategy (a singleton within its plugin).</returns>
    public TContract Resolve<TContract>(string name)
        where TContract : IMedleyStrategy
    {
        var kinds = StrategyKinds.TryGetKinds(typeof(TContract), out var k) ? k : [];
        var descriptor = GetStrategy(name, kinds.Count == 1 ? kinds[0] : null);
        return (TContract)_byStrategy[descriptor.Name].Instances[descriptor.Name];
    }

    /// <summary>
    /// Checks the SHA-256 digests of a plugin's native libraries (deferred at load because GPU runtimes are
    /// large). Call it before loading any of them; it hashes each file once per process.
    /// </summary>
    /// <param name="id">Plugin id.</param>
    /// <exception cref="MedleyException">When a native library differs from the manifest's digest.</exception>
    public void VerifyNativeLibraries(string id)
    {
        var record = GetPlugin(id);
        lock (_gate)
        {
            if (record.NativeLibrariesVerified)
            {
                return;
            }

            var problems = record.DeferredDigests
                .Select(d => PluginAssemblyLoader.DigestProblem(record.Folder, d.Relative, d.Expected))
                .OfType<string>()
                .ToList();
            if (problems.Count > 0)
            {
                throw PluginAssemblyLoader.DigestMismatch(record.Id, record.Folder, problems);
            }

            record.NativeLibrariesVerified = true;
        }
    }

    /// <summary>
    /// Unloads a plugin: its strategies disappear and, when its load context is collectible and nothing else
    /// references it, the runtime can collect its assemblies.
    /// </summary>
    /// <param name="id">Plugin id.</param>
    /// <returns>A weak reference to the plugin's load context, for callers that want to observe its collection.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public WeakReference UnloadPlugin(string id)
    {
        lock (_gate)
        {
            var record = GetPlugin(id);
            var context = new WeakReference(record.Loader?.LoadContext);
            foreach (var name in record.Strategies.Select(s => s.Name))
            {
                if (_byStrategy.TryGetValue(name, out var owner) && ReferenceEquals(owner, record))
                {
                    _byStrategy.Remove(name);
                }
            }

            Release(record);
            _plugins!.Remove(record);
            return context;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var record in _plugins ?? [])
            {
                Release(record);
            }

            _plugins = null;
            _byStrategy = new Dictionary<string, PluginRecord>(StringComparer.Ordinal);
        }
    }

    private static void Release(PluginRecord record)
    {
        record.Instances.Clear();
        (record.Services as IDisposable)?.Dispose();
        record.Services = null;
        record.Strategies = [];
        record.Loader?.Dispose();
        record.Loader = null;
    }

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private string FailedProviderNote(string name)
    {
        var failed = (_plugins ?? []).FirstOrDefault(p =>
            p.Status is PluginStatus.Failed or PluginStatus.Unsupported && p.Manifest?.Strategies.Any(s => s.Name == name) == true);
        return failed is null ? string.Empty : $" (plugin '{failed.Id}' declares it but failed to load: {failed.Error?.Message})";
    }

    private List<PluginRecord> EnsureLoaded()
    {
        if (_plugins is { } ready)
        {
            return ready;
        }

        lock (_gate)
        {
            _plugins ??= LoadAll();
            return _plugins;
        }
    }

    private List<PluginRecord> LoadAll()
    {
        var records = new List<PluginRecord>();
        var seenIds = new Dictionary<string, PluginRecord>(StringComparer.OrdinalIgnoreCase);
        var loader = new PluginAssemblyLoader(_loggerFactory, _options.UnloadablePlugins);
        foreach (var (directory, source) in PluginSearchPath.Resolve(_options))
        {
            var (installLock, lockError) = ReadInstallLock(directory);
            foreach (var folder in PluginSearchPath.FindPluginFolders(directory))
            {
                var record = LoadOne(folder, source, seenIds, loader, installLock, lockError);
                records.Add(record);
                if (record.Status == PluginStatus.Failed)
                {
                    _logger.LogWarning("Plugin in {Folder} failed: {Message}", folder, record.Error?.Message);
                }
            }
        }

        _byStrategy = ResolveOwnership(records);
        return records;
    }

    private static (PluginLock? Lock, MedleyException? Error) ReadInstallLock(string directory)
    {
        try
        {
            return (Directory.Exists(directory) ? PluginLock.TryRead(directory) : null, null);
        }
        catch (MedleyException ex)
        {
            return (null, ex);
        }
    }

    private static PluginRecord LoadOne(
        string folder, string source, Dictionary<string, PluginRecord> seenIds, PluginAssemblyLoader loader, PluginLock? installLock, MedleyException? lockError)
    {
        PluginManifest manifest;
        try
        {
            manifest = ManifestReader.Read(folder);
        }
        catch (MedleyException ex)
        {
            return new PluginRecord(folder, source, null) { Status = PluginStatus.Failed, Error = ex };
        }

        var record = new PluginRecord(folder, source, manifest);
        if (seenIds.TryGetValue(manifest.Id, out var earlier))
        {
            record.Status = PluginStatus.Shadowed;
            record.Error = new MedleyException(
                "plugin.shadowed",
                $"Plugin '{manifest.Id}' in {folder} is shadowed by the plugin with the same id in {earlier.Folder}, which comes first in the search order.");
            return record;
        }

        seenIds[manifest.Id] = record;
        if ((lockError ?? LockMismatch(folder, manifest, installLock)) is { } lockProblem)
        {
            // Checked before any of the plugin's code is loaded: a changed file must never run.
            record.Status = PluginStatus.Failed;
            record.Error = lockProblem;
            return record;
        }

        try
        {
            loader.Load(record);
        }
        catch (MedleyException ex)
        {
            Release(record);
            record.Status = ex.Code == PluginErrorCodes.PlatformUnsupported ? PluginStatus.Unsupported : PluginStatus.Failed;
            record.Error = ex;
        }

        return record;
    }

    private static MedleyException? LockMismatch(string folder, PluginManifest manifest, PluginLock? installLock)
    {
        var entry = installLock?.Find(manifest.Id);
        if (entry is null || !string.Equals(entry.Folder, Path.GetFileName(folder), StringComparison.Ordinal))
        {
            return null;
        }

        var problems = PluginLockVerifier.Check(installLock!.PluginDirectory, entry);
        return problems.Count == 0
            ? null
            : new MedleyException(
                MarketplaceErrorCodes.LockMismatch,
                $"Plugin '{manifest.Id}' in {folder} no longer matches {PluginLock.PathFor(installLock.PluginDirectory)}: {string.Join("; ", problems)}. Run 'medley plugin verify' for details and reinstall it with 'medley plugin install {manifest.Id} --force'.",
                details: problems);
    }

    private Dictionary<string, PluginRecord> ResolveOwnership(List<PluginRecord> records)
    {
        var providers = records
            .Where(r => r.Status == PluginStatus.Loaded)
            .SelectMany(r => r.Strategies.Select(s => (s.Name, Plugin: r)))
            .GroupBy(x => x.Name, StringComparer.Ordinal);
        var refused = new Dictionary<PluginRecord, List<string>>();
        var owners = new Dictionary<string, PluginRecord>(StringComparer.Ordinal);
        foreach (var group in providers)
        {
            var plugins = group.Select(x => x.Plugin).ToList();
            if (plugins.Count == 1)
            {
                owners[group.Key] = plugins[0];
                continue;
            }

            var pinned = _options.StrategyPins.TryGetValue(group.Key, out var pin)
                ? plugins.FirstOrDefault(p => string.Equals(p.Id, pin, StringComparison.OrdinalIgnoreCase))
                : null;
            var others = plugins.Where(p => !ReferenceEquals(p, pinned)).ToList();
            if (pinned is not null)
            {
                owners[group.Key] = pinned;
            }

            foreach (var plugin in others)
            {
                var rivals = plugins.Where(p => !ReferenceEquals(p, plugin)).Select(p => $"'{p.Id}' ({p.Folder})");
                var message = pinned is null
                    ? $"strategy '{group.Key}' is provided by both '{plugin.Id}' ({plugin.Folder}) and {string.Join(" and ", rivals)}; pin one with --pin {group.Key}=PLUGIN-ID"
                    : $"strategy '{group.Key}' is pinned to plugin '{pinned.Id}' ({pinned.Folder}), which also provides it";
                (refused.TryGetValue(plugin, out var list) ? list : refused[plugin] = []).Add(message);
            }
        }

        foreach (var (plugin, messages) in refused)
        {
            Release(plugin);
            plugin.Status = PluginStatus.Failed;
            plugin.Error = new MedleyException(
                PluginErrorCodes.StrategyDuplicate,
                $"Plugin '{plugin.Id}' in {plugin.Folder} was refused: {string.Join("; ", messages)}.",
                details: messages);
            foreach (var name in owners.Where(o => ReferenceEquals(o.Value, plugin)).Select(o => o.Key).ToList())
            {
                owners.Remove(name);
            }
        }

        return owners;
    }
}
