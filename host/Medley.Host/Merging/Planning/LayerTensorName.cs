using System.Globalization;
using System.Text.RegularExpressions;

namespace Medley.Host.Merging.Planning;

/// <summary>
/// A tensor name inside a transformer layer, split into prefix, layer index and the rest:
/// <c>model.layers.{i}.</c> (Llama family), <c>transformer.h.{i}.</c> and <c>h.{i}.</c> (GPT-2).
/// </summary>
/// <param name="Prefix">The part before the index, e.g. <c>model.layers.</c>.</param>
/// <param name="Layer">The layer index.</param>
/// <param name="Suffix">The part after the index and its dot, e.g. <c>self_attn.q_proj.weight</c>.</param>
internal sealed partial record LayerTensorName(string Prefix, int Layer, string Suffix)
{
    /// <summary>Splits a tensor name when it belongs to a layer.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="layerName">The parts when it does.</param>
    /// <returns><see langword="true"/> for layer tensors.</returns>
    public static bool TryParse(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LayerTensorName? layerName)
    {
        var match = Pattern().Match(name);
        layerName = match.Success && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var layer)
            ? new LayerTensorName(match.Groups[1].Value, layer, match.Groups[3].Value)
            : null;
        return layerName is not null;
    }

    /// <summary>The name of the same tensor in another layer.</summary>
    /// <param name="prefix">The layer prefix to use.</param>
    /// <param name="layer">The layer index.</param>
    /// <param name="suffix">The tensor's name within the layer.</param>
    /// <returns>The full name.</returns>
    public static string Format(string prefix, int layer, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{layer}.{suffix}");

    /// <summary>
    /// Whether a tensor outside the layers comes before them (token and position embeddings) rather than after
    /// (final norm, lm_head); mergekit's pre- and post-weights.
    /// </summary>
    /// <param name="name">A non-layer tensor name.</param>
    /// <returns><see langword="true"/> for embeddings.</returns>
    public static bool IsBeforeLayers(string name) =>
        name.Contains("embed", StringComparison.Ordinal) || HasSegment(name, "wte") || HasSegment(name, "wpe");

    /// <summary>Whether a tensor is a vocabulary-sized matrix whose row count may differ between models.</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns><see langword="true"/> for <c>embed_tokens</c>, <c>wte</c> and <c>lm_head</c>.</returns>
    public static bool IsVocabularyMatrix(string name) =>
        name.Contains("embed_tokens", StringComparison.Ordinal) || HasSegment(name, "wte") || HasSegment(name, "lm_head");

    private static bool HasSegment(string name, string segment) => name.Split('.').Contains(segment);

    [GeneratedRegex(@"^(model\.layers\.|transformer\.h\.|h\.)([0-9]+)\.(.+)$")]
    private static partial Regex Pattern();
}
