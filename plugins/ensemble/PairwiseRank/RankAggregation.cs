namespace Medley.Ensemble.PairwiseRank;

/// <summary>How the judge's pairwise verdicts become one ranking.</summary>
internal enum RankAggregation
{
    /// <summary>Every pair is compared; the candidate with most points wins, ties to the earliest candidate.</summary>
    MaxWins,

    /// <summary>One bubble pass: the champion meets each later candidate once and the better one stays.</summary>
    Bubble,
}
