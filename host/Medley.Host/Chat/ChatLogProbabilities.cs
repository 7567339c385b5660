namespace Medley.Host.Chat;

/// <summary>
/// The additional-property keys under which a local chat member reports how likely its answer was, the keys
/// response strategies read (cascade's <c>logprob</c> scorer): natural logarithms of each generated token's
/// probability under the model's raw distribution (softmax of its logits, before repetition penalty, temperature,
/// top-k, top-p or min-p), the end-of-sequence token excluded.
/// </summary>
public static class ChatLogProbabilities
{
    /// <summary>The mean of <see cref="TokensKey"/> (a <see cref="double"/>); absent when the answer has no token.</summary>
    public const string MeanKey = "medley.mean_logprob";

    /// <summary>One log-probability per generated token, in order (a <see cref="double"/> array).</summary>
    public const string TokensKey = "medley.token_logprobs";
}
