using Medley.Host.Hosting;
using Medley.Host.Plugins;
using Medley.Host.Requests;
using Medley.Host.Runtime.Devices;
using Medley.Sdk;
using Medley.Sdk.Providers;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Tools.GpuCheck;

/// <summary>
/// The checks of tests/Medley.Providers.Tests/GpuTests.cs, run over the CUDA plugin loaded from disk. The first
/// one commits this process to the plugin's ONNX Runtime library, so they run in this order.
/// </summary>
internal sealed class CudaChecks : IDisposable
{
    private const string CudaPluginId = "Medley.Providers.Cuda";
    private readonly PluginCatalog _catalog;

    public CudaChecks(string pluginsFolder)
    {
        var options = new MedleyOptions { UseDefaultPluginLocations = false };
        options.PluginDirectories.Add(pluginsFolder);
        _catalog = new PluginCatalog(options);
    }

    public void Dispose() => _catalog.Dispose();

    public IReadOnlyList<CheckOutcome> Run() =>
    [
        Check("cuda:0 session runs the Add model with CPU fallback disabled", AddOnCuda),
        Check("--device auto chooses cuda:0 and lists the GPU", AutoChoosesCuda),
        Check("a device index beyond the GPUs found is device.index-out-of-range", IndexBeyondGpus),
        Check("providers listing shows cuda usable, first, with the probe's devices", ListingShowsCuda),
    ];

    private static CheckOutcome Check(string name, Func<string> body)
    {
        try
        {
            return new CheckOutcome(name, true, body());
        }
        catch (Exception ex) when (ex is CheckFailedException or MedleyException or OnnxRuntimeException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
        {
            return new CheckOutcome(name, false, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new CheckFailedException(failure);
        }
    }

    private ProviderAvailability CudaProbe() => _catalog.Resolve<IExecutionProvider>("cuda").Probe();

    private string AddOnCuda()
    {
        var selection = new DeviceSelector(_catalog).Select("cuda:0");
        using var options = new SessionOptions();
        // Any node the CUDA provider did not take would otherwise run on the CPU without a word.
        options.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
        selection.ConfigureSession(options);

        var sum = Medley.Providers.Tests.Support.AddModelRunner.Run(options, [1.5f, -2f, 3f], [0.25f, 2f, -7f]);

        Expect(sum.SequenceEqual([1.75f, 0f, -4f]), $"sum was [{string.Join(", ", sum)}], expected [1.75, 0, -4]");
        var expectedLibrary = Path.Combine(_catalog.GetPlugin(CudaPluginId).Folder, "runtimes", "linux-x64", "native", "libonnxruntime.so");
        Expect(selection.NativeLibrary == expectedLibrary, $"selection's library is {selection.NativeLibrary}, expected {expectedLibrary}");
        var loaded = OnnxRuntimeNativeResolver.Shared.LoadedLibrary;
        Expect(loaded == expectedLibrary, $"ONNX Runtime loaded {loaded ?? "nothing"}, expected {expectedLibrary}");
        var providers = OrtEnv.Instance().GetAvailableProviders();
        Expect(providers.Contains("CUDAExecutionProvider"), $"available providers: {string.Join(", ", providers)}");
        return $"sum [1.75, 0, -4]; library {loaded}; ORT {OrtEnv.Instance().GetVersionString()} providers: {string.Join(", ", providers)}";
    }

    private string AutoChoosesCuda()
    {
        var selection = new DeviceSelector(_catalog).Select("auto");

        Expect(selection.Device.ToString() == "cuda:0", $"auto chose {selection.Device}");
        Expect(selection.Availability.Devices.Count > 0, "the CUDA probe listed no device");
        var first = selection.Availability.Devices[0];
        Expect(first.StartsWith("cuda:0 ", StringComparison.Ordinal), $"first device is '{first}'");
        Expect(selection.Note.Contains(first, StringComparison.Ordinal), $"note '{selection.Note}' does not name '{first}'");
        return selection.Note;
    }

    private string IndexBeyondGpus()
    {
        var count = CudaProbe().Devices.Count;
        try
        {
            new DeviceSelector(_catalog).Select($"cuda:{count}");
        }
        catch (MedleyException ex)
        {
            Expect(ex.Code == "device.index-out-of-range", $"code {ex.Code}: {ex.Message}");
            return $"cuda:{count} → {ex.Code}: {ex.Message}";
        }

        throw new CheckFailedException($"cuda:{count} was accepted with {count} GPU(s) found");
    }

    private string ListingShowsCuda()
    {
        var listing = new ListProvidersHandler(_catalog).Handle(new ListProviders(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        var cuda = listing.Providers.Where(p => p.DeviceType == "cuda").ToList();
        Expect(cuda.Count == 1, $"{cuda.Count} cuda providers listed");
        Expect(cuda[0].Usable, $"cuda not usable: {cuda[0].Reason}");
        var probed = CudaProbe().Devices;
        Expect(cuda[0].Devices.SequenceEqual(probed), $"listed devices [{string.Join("; ", cuda[0].Devices)}] differ from the probe's [{string.Join("; ", probed)}]");
        Expect(listing.Providers[0].DeviceType == "cuda", $"first listed is {listing.Providers[0].DeviceType}");
        return $"devices: {string.Join("; ", cuda[0].Devices)}";
    }
}
