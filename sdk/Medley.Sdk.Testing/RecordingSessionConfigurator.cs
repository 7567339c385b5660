using Medley.Sdk.Providers;

namespace Medley.Sdk.Testing;

/// <summary>
/// An <see cref="ISessionConfigurator"/> that records each call instead of touching ONNX Runtime, so a provider's
/// <see cref="IExecutionProvider.Configure"/> can be checked on any machine.
/// </summary>
public sealed class RecordingSessionConfigurator : ISessionConfigurator
{
    private readonly List<string> _calls = [];
    private readonly List<(string Provider, int? DeviceId)> _providers = [];

    /// <summary>Each call, in order, e.g. <c>AppendCuda(0)</c>.</summary>
    public IReadOnlyList<string> Calls => _calls;

    /// <summary>Execution providers appended, by name ("CUDA", "DML" or the name given to <see cref="AppendProvider"/>), with their device ids where given.</summary>
    public IReadOnlyList<(string Provider, int? DeviceId)> Providers => _providers;

    /// <summary>A placeholder: a provider that needs ONNX Runtime's own options object cannot be checked with this recorder.</summary>
    public object OnnxRuntimeSessionOptions { get; } = new();

    /// <inheritdoc/>
    public void AppendCuda(int deviceId, IReadOnlyDictionary<string, string>? options = null)
    {
        _calls.Add($"AppendCuda({deviceId})");
        _providers.Add(("CUDA", deviceId));
    }

    /// <inheritdoc/>
    public void AppendDirectML(int deviceId)
    {
        _calls.Add($"AppendDirectML({deviceId})");
        _providers.Add(("DML", deviceId));
    }

    /// <inheritdoc/>
    public void AppendProvider(string providerName, IReadOnlyDictionary<string, string> options)
    {
        _calls.Add($"AppendProvider({providerName})");
        _providers.Add((providerName, null));
    }

    /// <inheritdoc/>
    public void SetMemoryPattern(bool enabled) => _calls.Add($"SetMemoryPattern({enabled})");

    /// <inheritdoc/>
    public void UseSequentialExecution() => _calls.Add("UseSequentialExecution()");
}
