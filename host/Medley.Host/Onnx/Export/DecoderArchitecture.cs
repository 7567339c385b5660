namespace Medley.Host.Onnx.Export;

/// <summary>Everything about a checkpoint's shape that the graph depends on, read from <c>config.json</c>.</summary>
internal sealed record DecoderArchitecture
{
    public required string ModelType { get; init; }

    public required DecoderFamily Family { get; init; }

    public required int VocabularySize { get; init; }

    public required int HiddenSize { get; init; }

    public required int LayerCount { get; init; }

    public required int HeadCount { get; init; }

    public required int KeyValueHeadCount { get; init; }

    public required int HeadSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required double NormEpsilon { get; init; }

    public required bool TiedEmbeddings { get; init; }

    /// <summary>GPT-2 only: <c>gelu_new</c> (tanh approximation) or <c>gelu</c> (exact, with erf).</summary>
    public string Activation { get; init; } = "silu";

    /// <summary>GPT-2 only: divide attention scores by the 1-based layer index as well.</summary>
    public bool ScaleAttentionByLayerIndex { get; init; }

    /// <summary>GPT-2 only: scale attention scores by 1/sqrt(head size).</summary>
    public bool ScaleAttentionWeights { get; init; } = true;

    /// <summary>Llama only: the rotary inverse frequencies, one per pair of head dimensions.</summary>
    public IReadOnlyList<float> RotaryInverseFrequencies { get; init; } = [];

    /// <summary>Llama only: q, k and v projections carry biases (Qwen2, <c>attention_bias</c>).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Llama only: the output projection carries a bias (<c>attention_bias</c>).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Llama only: the MLP projections carry biases (<c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    public int? ContextLength { get; init; }
}
