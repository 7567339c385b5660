namespace Medley.Host.Onnx.Export;

/// <summary>How exported weights are stored.</summary>
public enum OnnxExportDtype
{
    /// <summary>32-bit floats.</summary>
    Float32,

    /// <summary>
    /// 16-bit floats on disk, cast to 32-bit inside the graph: half the file size, and the graph still runs
    /// on every execution provider (CPU kernels for float16 arithmetic are incomplete). Logits and the KV
    /// cache stay float32.
    /// </summary>
    Float16,
}
