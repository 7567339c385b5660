using Mediator;
using Medley.Host.Onnx.Export;
using Medley.Host.Pipeline;

namespace Medley.Host.Requests;

/// <summary>Exports a Hugging Face decoder checkpoint to an ONNX model folder with a KV cache.</summary>
/// <param name="Checkpoint">The checkpoint folder (config.json and safetensors).</param>
/// <param name="Output">The folder to create.</param>
/// <param name="Dtype">How weights are stored.</param>
/// <param name="Overwrite">Replace an existing output folder.</param>
/// <param name="ForceExternalData">Write weights to <c>model.onnx.data</c> whatever their size.</param>
public sealed record ExportOnnx(string Checkpoint, string Output, OnnxExportDtype Dtype = OnnxExportDtype.Float32, bool Overwrite = false, bool ForceExternalData = false)
    : IRequest<ExportedOnnxModel>, IValidatableRequest
{
    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Checkpoint))
        {
            yield return "field 'checkpoint' is empty: expected a Hugging Face checkpoint folder";
        }

        if (string.IsNullOrWhiteSpace(Output))
        {
            yield return "field 'output' is empty: expected the folder to write the ONNX model to";
        }
    }
}

/// <summary>The answer to <see cref="ExportOnnx"/>.</summary>
/// <param name="Output">The folder written.</param>
/// <param name="Architecture">The checkpoint's <c>model_type</c>.</param>
/// <param name="Dtype"><c>fp32</c> or <c>fp16</c>.</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="Parameters">Weight elements written.</param>
/// <param name="ModelBytes">Size of <c>model.onnx</c>.</param>
/// <param name="ExternalDataBytes">Size of <c>model.onnx.data</c> (0 when absent).</param>
/// <param name="CopiedFiles">Tokenizer and configuration files copied beside the model.</param>
/// <param name="Seconds">Time taken.</param>
public sealed record ExportedOnnxModel(
    string Output,
    string Architecture,
    string Dtype,
    int Layers,
    long Parameters,
    long ModelBytes,
    long ExternalDataBytes,
    IReadOnlyList<string> CopiedFiles,
    double Seconds);

/// <summary>Handles <see cref="ExportOnnx"/>.</summary>
public sealed class ExportOnnxHandler : IRequestHandler<ExportOnnx, ExportedOnnxModel>
{
    /// <inheritdoc />
    public async ValueTask<ExportedOnnxModel> Handle(ExportOnnx request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new OnnxExportOptions { Dtype = request.Dtype, Overwrite = request.Overwrite, ForceExternalData = request.ForceExternalData };

        // Reading and converting weights is CPU-bound and long for real checkpoints: keep it off the caller's thread.
        var result = await Task.Run(() => OnnxExporter.Export(request.Checkpoint, request.Output, options, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new ExportedOnnxModel(
            result.OutputFolder,
            result.Architecture,
            result.Dtype == OnnxExportDtype.Float16 ? "fp16" : "fp32",
            result.LayerCount,
            result.ParameterCount,
            result.ModelBytes,
            result.ExternalDataBytes,
            result.CopiedFiles,
            Math.Round(result.Elapsed.TotalSeconds, 3));
    }
}
