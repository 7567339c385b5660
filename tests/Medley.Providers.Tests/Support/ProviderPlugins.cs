using Medley.Host.Hosting;
using Medley.Host.Plugins;
using Medley.Host.Runtime.Devices;
using Medley.Sdk.Providers;

namespace Medley.Providers.Tests.Support;

/// <summary>The provider plugins built with the tests, and one catalog over them shared by the whole run.</summary>
public static class ProviderPlugins
{
    private static readonly Lazy<PluginCatalog> SharedCatalog = new(() => CreateCatalog());

    private static readonly Lazy<ProviderAvailability> SharedCudaProbe = new(() => Catalog.Resolve<IExecutionProvider>("cuda").Probe());

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "provider-plugins");

    public static string CudaFolder { get; } = Path.Combine(Folder, "Medley.Providers.Cuda");

    public static string CudaNativeFolder { get; } = Path.Combine(CudaFolder, "runtimes", "linux-x64", "native");

    /// <summary>Plugins never unload once native code may have been loaded, so one catalog serves every test.</summary>
    public static PluginCatalog Catalog => SharedCatalog.Value;

    /// <summary>What the CUDA plugin's probe says on this machine (probed once: it loads and frees system libraries).</summary>
    public static ProviderAvailability CudaProbe => SharedCudaProbe.Value;

    public static DeviceSelector CreateSelector() => new(Catalog);

    public static PluginCatalog CreateCatalog()
    {
        var options = new MedleyOptions { UseDefaultPluginLocations = false };
        options.PluginDirectories.Add(Folder);
        return new PluginCatalog(options);
    }
}
