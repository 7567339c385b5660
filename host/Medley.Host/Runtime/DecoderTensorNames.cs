using System.Globalization;

namespace Medley.Host.Runtime;

/// <summary>The input and output names of a decoder ONNX model in the Hugging Face Optimum layout.</summary>
public static class DecoderTensorNames
{
    /// <summary>Token ids, int64 <c>[batch, seq]</c>.</summary>
    public const string InputIds = "input_ids";

    /// <summary>1 for real tokens, 0 for padding, int64 <c>[batch, past + seq]</c>.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>Absolute positions of the new tokens, int64 <c>[batch, seq]</c>.</summary>
    public const string PositionIds = "position_ids";

    /// <summary>Legacy merged decoders: bool <c>[1]</c>, false on the first pass.</summary>
    public const string UseCacheBranch = "use_cache_branch";

    /// <summary>Logits, <c>[batch, seq, vocab]</c>.</summary>
    public const string Logits = "logits";

    /// <summary>Prefix of the cache inputs.</summary>
    public const string PastPrefix = "past_key_values";

    /// <summary>Prefix of the cache outputs.</summary>
    public const string PresentPrefix = "present";

    /// <summary>The cache input of a layer: <c>past_key_values.{layer}.key</c> or <c>.value</c>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <param name="key">Key (true) or value (false).</param>
    /// <returns>The input name.</returns>
    public static string Past(int layer, bool key) => string.Create(CultureInfo.InvariantCulture, $"{PastPrefix}.{layer}.{(key ? "key" : "value")}");

    /// <summary>The cache output of a layer: <c>present.{layer}.key</c> or <c>.value</c>.</summary>
    /// <param name="layer">The layer index.</param>
    /// <param name="key">Key (true) or value (false).</param>
    /// <returns>The output name.</returns>
    public static string Present(int layer, bool key) => string.Create(CultureInfo.InvariantCulture, $"{PresentPrefix}.{layer}.{(key ? "key" : "value")}");
}
