namespace Medley.Host.Onnx.Export;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Weights above this many bytes in total go to <c>model.onnx.data</c> (protobuf messages stop at 2 GiB).</summary>
    public const long ExternalDataThresholdBytes = 2_000_000_000;

    /// <summary>How weights are stored.</summary>
    public OnnxExportDtype Dtype { get; init; } = OnnxExportDtype.Float32;

    /// <summary>Replace an existing output folder.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Write weights to <c>model.onnx.data</c> even when they would fit inside <c>model.onnx</c>.</summary>
    public bool ForceExternalData { get; init; }
}
