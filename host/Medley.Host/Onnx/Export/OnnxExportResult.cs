namespace Medley.Host.Onnx.Export;

/// <summary>What <see cref="OnnxExporter"/> wrote.</summary>
/// <param name="OutputFolder">The folder holding <c>model.onnx</c> and the copied checkpoint files.</param>
/// <param name="Architecture">The checkpoint's <c>model_type</c>.</param>
/// <param name="Dtype">How weights were stored.</param>
/// <param name="LayerCount">Transformer layers.</param>
/// <param name="ParameterCount">Weight elements written.</param>
/// <param name="ModelBytes">Size of <c>model.onnx</c>.</param>
/// <param name="ExternalDataBytes">Size of <c>model.onnx.data</c>, 0 when weights are inside <c>model.onnx</c>.</param>
/// <param name="CopiedFiles">Tokenizer and configuration files copied beside the model.</param>
/// <param name="Elapsed">Time taken.</param>
public sealed record OnnxExportResult(
    string OutputFolder,
    string Architecture,
    OnnxExportDtype Dtype,
    int LayerCount,
    long ParameterCount,
    long ModelBytes,
    long ExternalDataBytes,
    IReadOnlyList<string> CopiedFiles,
    TimeSpan Elapsed);
