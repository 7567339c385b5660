namespace Medley.Host.Runtime;

/// <summary>The stable codes of <see cref="Medley.Sdk.MedleyException"/>s raised when loading and running ONNX models.</summary>
public static class OnnxRuntimeErrorCodes
{
    /// <summary>No model file at the path, or no known model file in the folder.</summary>
    public const string ModelNotFound = "onnx.model.not_found";

    /// <summary>ONNX Runtime could not load the file (truncated, corrupt, or unsupported operators).</summary>
    public const string ModelInvalid = "onnx.model.invalid";

    /// <summary>The model lacks the inputs or outputs of a KV-cache decoder.</summary>
    public const string NotDecoder = "onnx.model.not_decoder";

    /// <summary>The tokenizer has ids the logits do not cover.</summary>
    public const string VocabularyMismatch = "onnx.model.vocabulary_mismatch";

    /// <summary>An append would take the sequence past the model's context length.</summary>
    public const string ContextExceeded = "onnx.model.context_exceeded";

    /// <summary>ONNX Runtime failed while running the model.</summary>
    public const string RunFailed = "onnx.model.run_failed";
}
