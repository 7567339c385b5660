using Medley.Host.Requests;
using Medley.Host.Runtime.Devices;
using Medley.Providers.Tests.Support;
using Medley.Sdk;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Providers.Tests;

/// <summary>Need an NVIDIA GPU with CUDA 13 and cuDNN 9: <c>dotnet test tests/Medley.Providers.Tests --filter Category=Gpu</c>.</summary>
[Collection(OnnxRuntimeProcess.Name)]
[Trait("Category", "Gpu")]
public class GpuTests(OnnxRuntimeProcess process)
{
    [CudaFact]
    public void Cuda_session_runs_the_add_model_on_the_gpu_with_cpu_fallback_forbidden()
    {
        var selection = ProviderPlugins.CreateSelector().Select("cuda:0");
        using var options = new SessionOptions();
        // Any node the CUDA provider did not take would otherwise run on the CPU without a word.
        options.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
        selection.ConfigureSession(options);

        var sum = AddModelRunner.Run(options, [1.5f, -2f, 3f], [0.25f, 2f, -7f]);

        Assert.Equal([1.75f, 0f, -4f], sum);
        Assert.Equal(Path.Combine(ProviderPlugins.CudaNativeFolder, "libonnxruntime.so"), process.ExpectedLibrary);
        Assert.Equal(process.ExpectedLibrary, OnnxRuntimeNativeResolver.Shared.LoadedLibrary);
        Assert.Contains("CUDAExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }

    [CudaFact]
    public void Auto_chooses_cuda_and_lists_the_gpu()
    {
        var selection = ProviderPlugins.CreateSelector().Select("auto");

        Assert.Equal("cuda:0", selection.Device.ToString());
        Assert.StartsWith("cuda:0 ", selection.Availability.Devices[0], StringComparison.Ordinal);
        Assert.Contains(selection.Availability.Devices[0], selection.Note, StringComparison.Ordinal);
    }

    [CudaFact]
    public void A_device_index_beyond_the_gpus_found_is_an_error()
    {
        var count = ProviderPlugins.CudaProbe.Devices.Count;

        var error = Assert.Throws<MedleyException>(() => ProviderPlugins.CreateSelector().Select($"cuda:{count}"));

        Assert.Equal("device.index-out-of-range", error.Code);
    }

    [CudaFact]
    public async Task Providers_listing_shows_cuda_usable_with_its_devices()
    {
        var listing = await new ListProvidersHandler(ProviderPlugins.Catalog).Handle(new ListProviders(), CancellationToken.None);

        var cuda = Assert.Single(listing.Providers, p => p.DeviceType == "cuda");
        Assert.True(cuda.Usable);
        Assert.Equal(ProviderPlugins.CudaProbe.Devices, cuda.Devices);
        Assert.Equal("cuda", listing.Providers[0].DeviceType);
    }
}
