using Medley.Sdk.Providers;

namespace Medley.Providers.Tests.Support;

/// <summary>A provider with a fixed probe, for selection rules that must not depend on this machine's hardware.</summary>
public sealed class FakeProvider(string deviceType, int preference, ProviderAvailability availability) : IExecutionProvider
{
    public string DeviceType => deviceType;

    public int Preference => preference;

    public int Probes { get; private set; }

    public ProviderAvailability Probe()
    {
        Probes++;
        return availability;
    }

    public void Configure(ISessionConfigurator session, int deviceIndex) => session.AppendProvider(deviceType, new Dictionary<string, string>());
}
