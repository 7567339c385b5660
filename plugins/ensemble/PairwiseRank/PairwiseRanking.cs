namespace Medley.Ensemble.PairwiseRank;

/// <summary>
/// Orders candidates by the judge's verdicts. <see cref="RankAggregation.MaxWins"/> compares all n(n−1)/2 pairs and
/// ranks by points; <see cref="RankAggregation.Bubble"/> makes one pass of n−1 comparisons in which the current
/// champion meets each later candidate and the one with more points stays (a tie keeps the champion), then ranks
/// the others by the points they earned in their one or two comparisons. Equal points go to the earlier candidate.
/// </summary>
internal sealed class PairwiseRanking
{
    private readonly PairwiseJudge _judge;
    private readonly RankAggregation _aggregation;
    private readonly int _concurrency;

    public PairwiseRanking(PairwiseJudge judge, RankAggregation aggregation, int concurrency)
    {
        _judge = judge;
        _aggregation = aggregation;
        _concurrency = concurrency;
    }

    /// <summary>Candidate indices, best first.</summary>
    public async Task<IReadOnlyList<int>> RankAsync(string instruction, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var points = new double[candidates.Count];
        using var gate = new SemaphoreSlim(_concurrency);
        var champion = 0;
        if (_aggregation == RankAggregation.MaxWins)
        {
            var pairs = new List<(int First, int Second, Task<PairScore> Score)>();
            for (var first = 0; first < candidates.Count; first++)
            {
                for (var second = first + 1; second < candidates.Count; second++)
                {
                    pairs.Add((first, second, _judge.CompareAsync(instruction, candidates[first], candidates[second], gate, cancellationToken)));
                }
            }

            // Waiting for all before looking at any keeps a failed or cancelled judge call from leaving others running.
            await Task.WhenAll(pairs.Select(p => p.Score)).ConfigureAwait(false);
            foreach (var (first, second, score) in pairs)
            {
                points[first] += score.Result.First;
                points[second] += score.Result.Second;
            }
        }
        else
        {
            for (var challenger = 1; challenger < candidates.Count; challenger++)
            {
                var score = await _judge.CompareAsync(instruction, candidates[champion], candidates[challenger], gate, cancellationToken).ConfigureAwait(false);
                points[champion] += score.First;
                points[challenger] += score.Second;
                if (score.Second > score.First)
                {
                    champion = challenger;
                }
            }
        }

        var byPoints = Enumerable.Range(0, candidates.Count).OrderByDescending(i => points[i]).ThenBy(i => i);
        return _aggregation == RankAggregation.MaxWins
            ? byPoints.ToList()
            : [champion, .. byPoints.Where(i => i != champion)];
    }
}
