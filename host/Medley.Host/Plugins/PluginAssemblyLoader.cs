using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using McMaster.NETCore.Plugins;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Plugins;

/// <summary>
/// Turns one validated plugin folder into a loaded plugin: platform, SDK and digest checks, its own load
/// context, Scrutor registration of its strategies as keyed services, and construction of each strategy.
/// </summary>
internal sealed class PluginAssemblyLoader
{
    // Types whose assemblies the host shares with every plugin so that contract types are identical on both sides.
    private static readonly Type[] SharedTypes =
    [
        typeof(IMedleyStrategy),
        typeof(IChatClient),
        typeof(IServiceCollection),
        typeof(ILogger),
        typeof(System.Numerics.Tensors.TensorPrimitives),
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession),
    ];

    private readonly ILoggerFactory _loggerFactory;
    private readonly bool _unloadable;

    public PluginAssemblyLoader(ILoggerFactory loggerFactory, bool unloadable)
    {
        _loggerFactory = loggerFactory;
        _unloadable = unloadable;
    }

    public void Load(PluginRecord record)
    {
        var manifest = record.Manifest!;
        CheckSdk(record, manifest);
        CheckPlatform(record, manifest);
        var entryPath = Path.Combine(record.Folder, manifest.EntryAssembly);
        if (!File.Exists(entryPath))
        {
            throw new MedleyException(
                PluginErrorCodes.EntryAssemblyMissing,
                $"Plugin '{manifest.Id}' in {record.Folder}: the entry assembly '{manifest.EntryAssembly}' named by field 'entryAssembly' does not exist in the plugin folder.");
        }

        CheckDigests(record, manifest);

        var hasNativeLibraries = Directory.Exists(Path.Combine(record.Folder, "runtimes"))
            && Directory.EnumerateFiles(Path.Combine(record.Folder, "runtimes"), "*", SearchOption.AllDirectories)
                .Any(f => f.Contains($"{Path.DirectorySeparatorChar}native{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var loader = PluginLoader.CreateFromAssemblyFile(
            entryPath,
            isUnloadable: _unloadable && !hasNativeLibraries,
            sharedTypes: SharedTypes,
            configure: config => config.PreferSharedTypes = false);
        record.Loader = loader;

        Assembly assembly;
        Type[] types;
        try
        {
            assembly = loader.LoadDefaultAssembly();
            types = assembly.GetTypes();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            var cause = ex is ReflectionTypeLoadException rtle && rtle.LoaderExceptions.FirstOrDefault(e => e is not null) is { } first ? first : ex;
            throw new MedleyException(
                PluginErrorCodes.LoadFailed,
                $"Plugin '{manifest.Id}' in {record.Folder}: the entry assembly '{manifest.EntryAssembly}' could not be loaded: {cause.Message}",
                MedleyErrorKind.InvalidInput,
                innerException: ex);
        }

        var found = FindStrategies(types, record, manifest);
        MatchDeclarations(found, record, manifest);

        var services = new ServiceCollection();
        services.AddSingleton(_loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(TimeProvider.System);
        services.Scan(scan => scan
            .FromAssemblies(assembly)
            .AddClasses(classes => classes.AssignableTo<IMedleyStrategy>(), publicOnly: false)
            .As(type => StrategyContracts(type))
            .WithServiceKey(type => type.GetCustomAttribute<MedleyStrategyAttribute>()!.Name)
            .WithSingletonLifetime());
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        record.Services = provider;

        var descriptors = new List<StrategyDescriptor>();
        foreach (var declaration in manifest.Strategies)
        {
            var (type, kind) = found[declaration.Name];
            IMedleyStrategy instance;
            try
            {
                instance = (IMedleyStrategy)provider.GetRequiredKeyedService(StrategyKinds.ContractOf(kind), declaration.Name);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
                throw new MedleyException(
                    PluginErrorCodes.StrategyConstructorFailed,
                    $"Plugin '{manifest.Id}' in {record.Folder}: constructing strategy '{declaration.Name}' (class {type.FullName}) threw {cause.GetType().Name}: {cause.Message}",
                    MedleyErrorKind.InvalidInput,
                    innerException: cause);
            }

            record.Instances[declaration.Name] = instance;
            descriptors.Add(new StrategyDescriptor(
                declaration.Name,
                kind,
                declaration.Summary,
                declaration.Roles.Select(r => new StrategyRole(r.Name, r.Required, r.Multiple, r.Summary)).ToList(),
                declaration.Parameters,
                manifest.Id,
                type.FullName ?? type.Name));
        }

        record.Strategies = descriptors;
        record.Status = PluginStatus.Loaded;
    }

    private static IEnumerable<Type> StrategyContracts(Type type) =>
        StrategyKinds.TryGetKinds(type, out var kinds) ? kinds.Select(StrategyKinds.ContractOf) : [];

    private static Dictionary<string, (Type Type, StrategyKind Kind)> FindStrategies(Type[] types, PluginRecord record, PluginManifest manifest)
    {
        var found = new Dictionary<string, (Type, StrategyKind)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMedleyStrategy).IsAssignableFrom(t)))
        {
            var attribute = type.GetCustomAttribute<MedleyStrategyAttribute>();
            StrategyKinds.TryGetKinds(type, out var kinds);
            if (attribute is null)
            {
                problems.Add($"class {type.FullName} implements a strategy contract but has no [MedleyStrategy(\"name\")] attribute");
                continue;
            }

            if (kinds.Count != 1)
            {
                problems.Add($"class {type.FullName} (strategy '{attribute.Name}') must implement exactly one strategy contract, not {kinds.Count}");
                continue;
            }

            if (!found.TryAdd(attribute.Name, (type, kinds[0])))
            {
                problems.Add($"classes {found[attribute.Name].Item1.FullName} and {type.FullName} both claim strategy '{attribute.Name}'");
            }
        }

        if (problems.Count > 0)
        {
            throw new MedleyException(
                PluginErrorCodes.StrategyUndeclared,
                $"Plugin '{manifest.Id}' in {record.Folder}: {string.Join("; ", problems)}.",
                details: problems);
        }

        return found;
    }

    private static void MatchDeclarations(Dictionary<string, (Type Type, StrategyKind Kind)> found, PluginRecord record, PluginManifest manifest)
    {
        var notFound = new List<string>();
        foreach (var declaration in manifest.Strategies)
        {
            StrategyKinds.TryParse(declaration.Kind, out var kind);
            if (!found.TryGetValue(declaration.Name, out var implementation))
            {
                notFound.Add($"strategy '{declaration.Name}' (kind {declaration.Kind}) is declared in {PluginManifest.FileName} but {manifest.EntryAssembly} has no class with [MedleyStrategy(\"{declaration.Name}\")] implementing {StrategyKinds.ContractOf(kind).Name}");
            }
            else if (implementation.Kind != kind)
            {
                notFound.Add($"strategy '{declaration.Name}' is declared with kind {declaration.Kind} but class {implementation.Type.FullName} implements {StrategyKinds.ContractOf(implementation.Kind).Name} (kind {StrategyKinds.ToName(implementation.Kind)})");
            }
        }

        if (notFound.Count > 0)
        {
            throw new MedleyException(
                PluginErrorCodes.StrategyNotFound,
                $"Plugin '{manifest.Id}' in {record.Folder}: {string.Join("; ", notFound)}.",
                details: notFound);
        }

        var undeclared = found
            .Where(pair => manifest.Strategies.All(s => s.Name != pair.Key))
            .Select(pair => $"class {pair.Value.Type.FullName} implements strategy '{pair.Key}' (kind {StrategyKinds.ToName(pair.Value.Kind)}) which {PluginManifest.FileName} does not declare in 'strategies'")
            .ToList();
        if (undeclared.Count > 0)
        {
            throw new MedleyException(
                PluginErrorCodes.StrategyUndeclared,
                $"Plugin '{manifest.Id}' in {record.Folder}: {string.Join("; ", undeclared)}.",
                details: undeclared);
        }
    }

    private static void CheckSdk(PluginRecord record, PluginManifest manifest)
    {
        SdkCompatibility.TryParseRange(manifest.Sdk, out var range);
        if (!range.Satisfies(SdkCompatibility.HostSdkVersion))
        {
            throw new MedleyException(
                PluginErrorCodes.SdkIncompatible,
                $"Plugin '{manifest.Id}' in {record.Folder} requires Medley.Sdk {manifest.Sdk} (field 'sdk') but this host provides Medley.Sdk {SdkCompatibility.HostSdkVersion}.");
        }
    }

    private static void CheckPlatform(PluginRecord record, PluginManifest manifest)
    {
        if (manifest.Platforms.Count == 0)
        {
            return;
        }

        var current = RuntimeInformation.RuntimeIdentifier;
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "unknown";
        var portable = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        if (!manifest.Platforms.Any(p => p == current || p == portable || p == os || p == "any"))
        {
            throw new MedleyException(
                PluginErrorCodes.PlatformUnsupported,
                $"Plugin '{manifest.Id}' in {record.Folder} supports platforms [{string.Join(", ", manifest.Platforms)}] (field 'platforms') but this host runs on {portable}.");
        }
    }

    private static void CheckDigests(PluginRecord record, PluginManifest manifest)
    {
        if (manifest.Files is null)
        {
            return;
        }

        var problems = new List<string>();
        var deferred = new List<(string Relative, string Expected)>();
        foreach (var (relative, expected) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(record.Folder, relative));
            if (!full.StartsWith(Path.GetFullPath(record.Folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add($"file '{relative}' lies outside the plugin folder");
                continue;
            }

            if (!File.Exists(full))
            {
                problems.Add($"file '{relative}' is listed in 'files' but missing");
                continue;
            }

            if (IsNativeLibrary(relative))
            {
                // Native libraries (hundreds of MB for GPU runtimes) are hashed when they are about to be
                // loaded, not on every start: see PluginCatalog.VerifyNativeLibraries.
                deferred.Add((relative, expected));
                continue;
            }

            if (DigestProblem(record.Folder, relative, expected) is { } problem)
            {
                problems.Add(problem);
            }
        }

        record.DeferredDigests = deferred;
        foreach (var path in Directory.EnumerateFiles(record.Folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(record.Folder, path).Replace('\\', '/');
            var isCode = relative.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                || relative.EndsWith(".so", StringComparison.Ordinal)
                || relative.EndsWith(".dylib", StringComparison.Ordinal);
            if (isCode && !manifest.Files.ContainsKey(relative))
            {
                problems.Add($"file '{relative}' is code but is not listed in 'files'");
            }
        }

        if (problems.Count > 0)
        {
            throw DigestMismatch(manifest.Id, record.Folder, problems);
        }
    }

    internal static bool IsNativeLibrary(string relative) =>
        relative.StartsWith("runtimes/", StringComparison.Ordinal) && relative.Contains("/native/", StringComparison.Ordinal);

    internal static string? DigestProblem(string folder, string relative, string expected)
    {
        using var stream = File.OpenRead(Path.Combine(folder, relative));
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"file '{relative}' has SHA-256 {actual} but 'files' expects {expected}";
    }

    internal static MedleyException DigestMismatch(string id, string folder, IReadOnlyList<string> problems) =>
        new(
            PluginErrorCodes.FileDigestMismatch,
            $"Plugin '{id}' in {folder}: {string.Join("; ", problems)}. The plugin's files were changed after it was built or installed; reinstall it.",
            details: problems);
}
