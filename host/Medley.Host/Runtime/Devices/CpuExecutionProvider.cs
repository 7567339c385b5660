using Medley.Sdk;
using Medley.Sdk.Providers;

namespace Medley.Host.Runtime.Devices;

/// <summary>
/// The processor, through ONNX Runtime's CPU provider: built into the host and into every ONNX Runtime build,
/// so it is always usable and is what <c>--device auto</c> falls to when no GPU provider is usable.
/// </summary>
[MedleyStrategy("cpu")]
public sealed class CpuExecutionProvider : IExecutionProvider
{
    /// <inheritdoc />
    public string DeviceType => "cpu";

    /// <inheritdoc />
    public int Preference => 0;

    /// <inheritdoc />
    public ProviderAvailability Probe() =>
        new(true, "built in", [$"cpu:0 {Environment.ProcessorCount} logical processors"]);

    /// <inheritdoc />
    public void Configure(ISessionConfigurator session, int deviceIndex)
    {
        // ONNX Runtime always runs a session on its CPU provider when no other is appended; appending it
        // explicitly would only repeat that.
        ArgumentNullException.ThrowIfNull(session);
    }
}
