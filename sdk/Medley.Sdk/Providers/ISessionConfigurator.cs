namespace Medley.Sdk.Providers;

/// <summary>
/// The host's view of one ONNX Runtime session being configured. Providers use these calls so they need
/// not reference ONNX Runtime; one that does may cast <see cref="OnnxRuntimeSessionOptions"/> to
/// <c>Microsoft.ML.OnnxRuntime.SessionOptions</c> (the host shares that assembly with plugins).
/// </summary>
public interface ISessionConfigurator
{
    /// <summary>The underlying <c>Microsoft.ML.OnnxRuntime.SessionOptions</c>.</summary>
    object OnnxRuntimeSessionOptions { get; }

    /// <summary>Appends the CUDA execution provider.</summary>
    /// <param name="deviceId">GPU index.</param>
    /// <param name="options">Provider options (ONNX Runtime's names, e.g. <c>arena_extend_strategy</c>).</param>
    void AppendCuda(int deviceId, IReadOnlyDictionary<string, string>? options = null);

    /// <summary>Appends the DirectML execution provider.</summary>
    /// <param name="deviceId">Adapter index.</param>
    void AppendDirectML(int deviceId);

    /// <summary>Appends a provider by its ONNX Runtime name with string options.</summary>
    /// <param name="providerName">Name such as <c>XNNPACK</c>.</param>
    /// <param name="options">Provider options.</param>
    void AppendProvider(string providerName, IReadOnlyDictionary<string, string> options);

    /// <summary>Turns ONNX Runtime's memory-pattern optimisation on or off (DirectML needs it off).</summary>
    /// <param name="enabled">Whether to enable it.</param>
    void SetMemoryPattern(bool enabled);

    /// <summary>Forces sequential execution of the graph (DirectML needs it).</summary>
    void UseSequentialExecution();
}
