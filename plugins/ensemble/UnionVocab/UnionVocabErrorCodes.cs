namespace Medley.Ensemble.UnionVocab;

/// <summary>Stable codes of the errors the union-vocabulary ensemble raises.</summary>
public static class UnionVocabErrorCodes
{
    /// <summary>The run gave no members.</summary>
    public const string NoMembers = "union_vocab.members.none";

    /// <summary>A member's weight is negative or not a finite number.</summary>
    public const string InvalidWeight = "union_vocab.weight.invalid";

    /// <summary>Every member's weight is zero, so the weighted average is undefined.</summary>
    public const string ZeroWeightSum = "union_vocab.weights.zero_sum";

    /// <summary><c>top_k</c> is below 1.</summary>
    public const string InvalidTopK = "union_vocab.top_k.invalid";

    /// <summary><c>gate_threshold</c> is outside [0, 1].</summary>
    public const string InvalidGateThreshold = "union_vocab.gate_threshold.invalid";

    /// <summary>A member's tokenizer turns the prompt into no tokens, so there is nothing to predict from.</summary>
    public const string EmptyPrompt = "union_vocab.prompt.empty";

    /// <summary>No candidate of a step can be written by every member's tokenizer.</summary>
    public const string NoCandidate = "union_vocab.candidates.none";
}
