using Medley.Sdk;
using Medley.Sdk.Providers;

namespace Medley.Providers.Cuda;

/// <summary>
/// NVIDIA GPUs through ONNX Runtime's CUDA execution provider. The plugin folder carries the GPU build of ONNX
/// Runtime's native libraries, which the host loads in place of its CPU build when this provider is chosen.
/// </summary>
[MedleyStrategy("cuda")]
public sealed class CudaExecutionProvider : IExecutionProvider
{
    /// <inheritdoc />
    public string DeviceType => "cuda";

    /// <inheritdoc />
    public int Preference => 100;

    /// <inheritdoc />
    public ProviderAvailability Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ProviderAvailability.Unavailable("this plugin carries the Linux build of ONNX Runtime's CUDA provider");
        }

        if (!CudaDriver.TryOpen(out var driver, out var problem))
        {
            return ProviderAvailability.Unavailable(problem);
        }

        using (driver)
        {
            if (!driver.TryCountDevices(out var count, out problem))
            {
                return ProviderAvailability.Unavailable(problem);
            }

            if (count == 0)
            {
                return ProviderAvailability.Unavailable("no CUDA device (the NVIDIA driver is installed but reports no GPU)");
            }

            var driverCuda = driver.DriverCudaVersion();
            if (driverCuda < CudaRuntimeLibraries.RequiredDriverCuda)
            {
                return ProviderAvailability.Unavailable(
                    $"the NVIDIA driver supports CUDA {driverCuda} but ONNX Runtime's CUDA provider needs CUDA {CudaRuntimeLibraries.RequiredDriverCuda} (driver 580 or newer)");
            }

            var missing = CudaRuntimeLibraries.FindMissing();
            if (missing.Count > 0)
            {
                return ProviderAvailability.Unavailable(
                    $"CUDA runtime libraries missing: {string.Join(", ", missing)} (install CUDA 13 and cuDNN 9, or add their lib folders to LD_LIBRARY_PATH)");
            }

            var devices = Enumerable.Range(0, count).Select(i => $"cuda:{i} {driver.Describe(i)}").ToList();
            return new ProviderAvailability(true, $"NVIDIA driver supports CUDA {driverCuda}", devices);
        }
    }

    /// <inheritdoc />
    public void Configure(ISessionConfigurator session, int deviceIndex)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AppendCuda(deviceIndex);
    }
}
