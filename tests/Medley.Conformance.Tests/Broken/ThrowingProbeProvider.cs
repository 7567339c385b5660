using Medley.Sdk.Providers;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Lets a missing driver surface as an exception from Probe instead of an "unavailable" answer.</summary>
public sealed class ThrowingProbeProvider : IExecutionProvider
{
    public string DeviceType => "npu";

    public int Preference => 10;

    public ProviderAvailability Probe() => throw new DllNotFoundException("libnpu.so");

    public void Configure(ISessionConfigurator session, int deviceIndex) => session.AppendProvider("NPU", new Dictionary<string, string>());
}
