using Medley.Sdk.Models;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime;

/// <summary>How <see cref="OnnxCausalLanguageModel.Load"/> opens a model.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>
    /// A model file, or a folder holding <c>model.onnx</c> or <c>decoder_model_merged.onnx</c> (directly or in
    /// an <c>onnx/</c> subfolder, as Hugging Face repositories do).
    /// </summary>
    public required string Path { get; init; }

    /// <summary>Creates the tokenizer from the folder the model file is in.</summary>
    public required Func<string, ITextTokenizer> TokenizerFactory { get; init; }

    /// <summary>Adjusts the session options before the session is created: execution providers, threads.</summary>
    public Action<SessionOptions>? ConfigureSession { get; init; }

    /// <summary>The device label reported in <see cref="ModelInfo.Device"/>, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The display name; the model folder's name when null.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Runs the CPU model the way a GPU model runs (cache bound through I/O binding, rewind by masking), so the
    /// tests exercise that path on machines without a GPU.
    /// </summary>
    internal bool BindCacheOnCpu { get; init; }
}
