namespace Medley.Cooperation.Speculative;

/// <summary>How many tokens the draft proposes in each round.</summary>
internal enum DraftSchedule
{
    /// <summary>Always <c>draft_tokens</c>.</summary>
    Fixed,

    /// <summary>Hugging Face's heuristic: +2 after a fully accepted round, −1 otherwise.</summary>
    Heuristic,

    /// <summary>Up to <c>draft_tokens</c>, stopping before a token the draft is not confident about.</summary>
    Confidence,
}
