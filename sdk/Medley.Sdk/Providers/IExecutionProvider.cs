namespace Medley.Sdk.Providers;

/// <summary>
/// Runs ONNX models on a kind of device. CPU is built into the host; GPU providers are plugins that may
/// carry their own ONNX Runtime native library under <c>runtimes/&lt;rid&gt;/native/</c>, which the host
/// loads before ONNX Runtime is first used.
/// </summary>
public interface IExecutionProvider : IMedleyStrategy
{
    /// <summary>The device prefix users type: <c>cuda</c> in <c>--device cuda:0</c>.</summary>
    string DeviceType { get; }

    /// <summary>Rank for <c>--device auto</c>: the usable provider with the highest value wins (CPU is 0).</summary>
    int Preference { get; }

    /// <summary>Checks, without side effects on the process, whether this provider can run here.</summary>
    /// <returns>Availability and the reason when unavailable.</returns>
    ProviderAvailability Probe();

    /// <summary>Adds this provider to a session being configured.</summary>
    /// <param name="session">The session's configuration.</param>
    /// <param name="deviceIndex">The device index from <c>--device TYPE:N</c> (0 when omitted).</param>
    void Configure(ISessionConfigurator session, int deviceIndex);
}
