namespace Medley.Host.Onnx.Export;

/// <summary>The stable codes of <see cref="Medley.Sdk.MedleyException"/>s raised by the ONNX exporter.</summary>
public static class OnnxExportErrorCodes
{
    /// <summary>The checkpoint folder has no <c>config.json</c>, or it is not a JSON object.</summary>
    public const string ConfigMissing = "onnx.export.config_missing";

    /// <summary>A <c>config.json</c> field is missing or has a value the exporter cannot use.</summary>
    public const string ConfigInvalid = "onnx.export.config_invalid";

    /// <summary>The checkpoint's architecture is not one the exporter writes.</summary>
    public const string UnsupportedArchitecture = "onnx.export.unsupported_architecture";

    /// <summary>The checkpoint lacks tensors the architecture needs.</summary>
    public const string MissingTensors = "onnx.export.missing_tensors";

    /// <summary>A checkpoint tensor has a shape other than the configuration implies.</summary>
    public const string TensorShapeMismatch = "onnx.export.tensor_shape_mismatch";

    /// <summary>The output folder exists and overwriting was not asked for.</summary>
    public const string OutputExists = "onnx.export.output_exists";
}
