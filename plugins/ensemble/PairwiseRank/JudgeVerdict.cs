namespace Medley.Ensemble.PairwiseRank;

/// <summary>What the judge said about one ordered pair.</summary>
internal enum JudgeVerdict
{
    /// <summary>The candidate shown first is better.</summary>
    A,

    /// <summary>The candidate shown second is better.</summary>
    B,

    /// <summary>No clear choice: a tie, or an answer that names neither or both.</summary>
    Tie,
}
