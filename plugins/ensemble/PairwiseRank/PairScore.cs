namespace Medley.Ensemble.PairwiseRank;

/// <summary>Points two candidates earned in one comparison: 1 per verdict won, ½ each per tie.</summary>
/// <param name="First">Points of the candidate that was shown first in the forward order.</param>
/// <param name="Second">Points of the other candidate.</param>
internal readonly record struct PairScore(double First, double Second);
