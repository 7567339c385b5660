namespace Medley.Providers.Tests.Support;

/// <summary>
/// A fact that needs a usable NVIDIA GPU: skipped, with the CUDA probe's reason, only where the hardware or its
/// libraries are missing. Run these alone with <c>dotnet test --filter Category=Gpu</c>.
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        var probe = ProviderPlugins.CudaProbe;
        if (!probe.IsAvailable)
        {
            Skip = $"needs an NVIDIA GPU with CUDA 13 and cuDNN 9: {probe.Reason}";
        }
    }
}
