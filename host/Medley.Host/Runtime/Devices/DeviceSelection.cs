using Medley.Sdk.Providers;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime.Devices;

/// <summary>Where models will run: the provider chosen for a <c>--device</c> value and how to apply it to sessions.</summary>
/// <param name="Device">The device, e.g. <c>cuda:0</c>.</param>
/// <param name="Candidate">The provider chosen.</param>
/// <param name="Availability">What its probe found.</param>
/// <param name="NativeLibrary">The ONNX Runtime native library sessions will use.</param>
/// <param name="Note">A human-readable account of the choice (for <c>auto</c>: what was chosen and why).</param>
public sealed record DeviceSelection(
    DeviceRequest Device,
    ProviderCandidate Candidate,
    ProviderAvailability Availability,
    string? NativeLibrary,
    string Note)
{
    /// <summary>The hook the model loader applies to every session's options.</summary>
    public Action<SessionOptions> ConfigureSession =>
        options => Candidate.Provider!.Configure(new OnnxSessionConfigurator(options), Device.Index);
}
