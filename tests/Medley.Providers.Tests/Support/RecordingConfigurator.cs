using Medley.Sdk.Providers;

namespace Medley.Providers.Tests.Support;

/// <summary>Records the calls a provider makes, in order, without ONNX Runtime.</summary>
public sealed class RecordingConfigurator : ISessionConfigurator
{
    public List<string> Calls { get; } = [];

    public object OnnxRuntimeSessionOptions => this;

    public void AppendCuda(int deviceId, IReadOnlyDictionary<string, string>? options = null) => Calls.Add($"AppendCuda({deviceId})");

    public void AppendDirectML(int deviceId) => Calls.Add($"AppendDirectML({deviceId})");

    public void AppendProvider(string providerName, IReadOnlyDictionary<string, string> options) => Calls.Add($"AppendProvider({providerName})");

    public void SetMemoryPattern(bool enabled) => Calls.Add($"SetMemoryPattern({enabled})");

    public void UseSequentialExecution() => Calls.Add("UseSequentialExecution()");
}
