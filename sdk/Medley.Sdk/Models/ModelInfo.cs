namespace Medley.Sdk.Models;

/// <summary>Facts about a loaded causal language model.</summary>
public sealed record ModelInfo
{
    /// <summary>A display name (the model folder's name unless configured).</summary>
    public required string Name { get; init; }

    /// <summary>Where the model was loaded from.</summary>
    public required string Location { get; init; }

    /// <summary>Architecture family, e.g. <c>gpt2</c> or <c>llama</c>, when known.</summary>
    public string? Architecture { get; init; }

    /// <summary>Width of the logits.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Number of transformer layers (KV-cache entries).</summary>
    public required int LayerCount { get; init; }

    /// <summary>Number of key/value heads per layer.</summary>
    public required int KeyValueHeads { get; init; }

    /// <summary>Size of one attention head.</summary>
    public required int HeadSize { get; init; }

    /// <summary>Longest sequence the model supports, when known.</summary>
    public int? ContextLength { get; init; }

    /// <summary>The device the model runs on, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Number of parameters, when known.</summary>
    public long? ParameterCount { get; init; }
}
