namespace Medley.Host.Runtime.Devices;

/// <summary>Stable error codes for choosing where models run.</summary>
public static class DeviceErrorCodes
{
    /// <summary>The <c>--device</c> text is not <c>auto</c> or <c>TYPE[:N]</c>.</summary>
    public const string Invalid = "device.invalid";

    /// <summary>No execution provider has the device type asked for.</summary>
    public const string Unknown = "device.unknown";

    /// <summary>The provider exists but cannot run here (no GPU, libraries missing, wrong OS…).</summary>
    public const string Unavailable = "device.unavailable";

    /// <summary>The device index is beyond the devices the provider found.</summary>
    public const string IndexOutOfRange = "device.index-out-of-range";

    /// <summary>ONNX Runtime's native library is already loaded and differs from the one the provider needs.</summary>
    public const string OnnxRuntimeAlreadyLoaded = "device.onnxruntime-already-loaded";

    /// <summary>ONNX Runtime refused to add the provider to a session.</summary>
    public const string ProviderFailed = "device.provider-failed";
}
