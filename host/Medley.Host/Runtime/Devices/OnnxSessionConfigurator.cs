using Medley.Sdk;
using Medley.Sdk.Providers;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime.Devices;

/// <summary>
/// The host's <see cref="ISessionConfigurator"/> over ONNX Runtime's <see cref="SessionOptions"/>. A provider
/// the loaded native library lacks fails here, with ONNX Runtime's reason, rather than later or silently.
/// </summary>
public sealed class OnnxSessionConfigurator : ISessionConfigurator
{
    private readonly SessionOptions _options;

    /// <summary>Wraps session options being configured.</summary>
    /// <param name="options">The options.</param>
    public OnnxSessionConfigurator(SessionOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    public object OnnxRuntimeSessionOptions => _options;

    /// <inheritdoc />
    public void AppendCuda(int deviceId, IReadOnlyDictionary<string, string>? options = null)
    {
        Append("CUDA", deviceId, () =>
        {
            if (options is null || options.Count == 0)
            {
                _options.AppendExecutionProvider_CUDA(deviceId);
                return;
            }

            using var cuda = new OrtCUDAProviderOptions();
            var values = options.ToDictionary(StringComparer.Ordinal);
            values["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            cuda.UpdateOptions(values);
            _options.AppendExecutionProvider_CUDA(cuda);
        });
    }

    /// <inheritdoc />
    public void AppendDirectML(int deviceId) => Append("DirectML", deviceId, () => _options.AppendExecutionProvider_DML(deviceId));

    /// <inheritdoc />
    public void AppendProvider(string providerName, IReadOnlyDictionary<string, string> options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(options);
        Append(providerName, null, () => _options.AppendExecutionProvider(providerName, options.ToDictionary(StringComparer.Ordinal)));
    }

    /// <inheritdoc />
    public void SetMemoryPattern(bool enabled) => _options.EnableMemoryPattern = enabled;

    /// <inheritdoc />
    public void UseSequentialExecution() => _options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;

    private static void Append(string provider, int? deviceId, Action append)
    {
        try
        {
            append();
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            var device = deviceId is null ? string.Empty : $" for device {deviceId}";
            var library = OnnxRuntimeNativeResolver.Shared.EffectiveLibrary ?? "the default ONNX Runtime library";
            throw new MedleyException(
                DeviceErrorCodes.ProviderFailed,
                $"ONNX Runtime ({library}) could not add the {provider} execution provider{device}: {ex.Message}",
                MedleyErrorKind.InvalidInput,
                innerException: ex);
        }
    }
}
