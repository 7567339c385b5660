using System.Runtime.InteropServices;
using Medley.Providers.Tests.Support;
using Medley.Sdk.Providers;

namespace Medley.Providers.Tests;

public class CudaExecutionProviderTests
{
    private static readonly string[] RuntimeLibraries = ["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcurand.so.10", "libcudnn.so.9"];

    [Fact]
    public void Plugin_loads_from_its_folder_as_the_cuda_provider()
    {
        var provider = ProviderPlugins.Catalog.Resolve<IExecutionProvider>("cuda");

        Assert.Equal("cuda", provider.DeviceType);
        Assert.Equal(100, provider.Preference);
        Assert.Equal("Medley.Providers.Cuda", ProviderPlugins.Catalog.GetStrategy("cuda").PluginId);
    }

    [Fact]
    public void Probe_gives_the_precise_reason_this_machine_cannot_run_cuda_or_lists_its_gpus()
    {
        var probe = ProviderPlugins.CudaProbe;

        // The expectation is worked out independently of the probe, from what the dynamic loader finds here.
        if (!TryLoadAndFree("libcuda.so.1"))
        {
            Assert.False(probe.IsAvailable);
            Assert.Equal("no NVIDIA driver (libcuda.so.1 not found)", probe.Reason);
            Assert.Empty(probe.Devices);
            return;
        }

        var missing = RuntimeLibraries.Where(name => !TryLoadAndFree(name)).ToList();
        if (probe.IsAvailable)
        {
            Assert.Empty(missing);
            Assert.NotEmpty(probe.Devices);
            Assert.All(probe.Devices.Select((d, i) => (d, i)), x => Assert.StartsWith($"cuda:{x.i} ", x.d, StringComparison.Ordinal));
            return;
        }

        var reason = probe.Reason!;
        var driverProblem = reason.StartsWith("no CUDA device", StringComparison.Ordinal)
            || reason.StartsWith("the NVIDIA driver", StringComparison.Ordinal);
        Assert.True(
            driverProblem || reason == $"CUDA runtime libraries missing: {string.Join(", ", missing)} (install CUDA 13 and cuDNN 9, or add their lib folders to LD_LIBRARY_PATH)",
            $"unexpected reason: {reason}; libraries the loader cannot find: [{string.Join(", ", missing)}]");
    }

    [Fact]
    public void Configure_appends_cuda_on_the_requested_device()
    {
        var session = new RecordingConfigurator();

        ProviderPlugins.Catalog.Resolve<IExecutionProvider>("cuda").Configure(session, 1);

        Assert.Equal(["AppendCuda(1)"], session.Calls);
    }

    private static bool TryLoadAndFree(string name)
    {
        if (!NativeLibrary.TryLoad(name, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
