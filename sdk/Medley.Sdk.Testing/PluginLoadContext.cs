using System.Reflection;
using System.Runtime.Loader;

namespace Medley.Sdk.Testing;

/// <summary>
/// Loads a plugin folder the way the host does: the plugin's private dependencies from its folder, the assemblies the
/// host shares with every plugin (the SDK and the abstractions its contracts use) from the caller's context, so that
/// contract types are the same on both sides.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    // Mirrors MedleySharedAssemblyNames in Medley.Plugin.props: what a plugin build leaves out of its folder.
    private static readonly HashSet<string> SharedAssemblyNames = new(StringComparer.Ordinal)
    {
        "Medley.Sdk",
        "Microsoft.Extensions.AI.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.Primitives",
        "System.Numerics.Tensors",
        "Microsoft.ML.OnnxRuntime",
    };

    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string entryAssemblyPath)
        : base($"conformance:{Path.GetFileName(entryAssemblyPath)}")
    {
        _resolver = new AssemblyDependencyResolver(entryAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && SharedAssemblyNames.Contains(name))
        {
            return null;
        }

        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
