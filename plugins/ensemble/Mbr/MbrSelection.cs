using Medley.Ensemble.Responses;
using Medley.Sdk;

namespace Medley.Ensemble.Mbr;

/// <summary>
/// Minimum-Bayes-risk selection: the candidate whose mean utility against every other candidate is highest. Ties go
/// to the earliest candidate in pool order (run-config member order, then sample index).
/// </summary>
internal sealed class MbrSelection
{
    private readonly Func<string, string, double> _utility;
    private readonly StrategyCounters _counters;

    public MbrSelection(Func<string, string, double> utility, StrategyCounters counters)
    {
        _utility = utility;
        _counters = counters;
    }

    public Candidate Select(IReadOnlyList<Candidate> pool)
    {
        _counters.Set("candidates", pool.Count);
        if (pool.Count == 1)
        {
            _counters.Set("winner_mean_utility", 1);
            return pool[0];
        }

        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < pool.Count; i++)
        {
            double total = 0;
            for (var j = 0; j < pool.Count; j++)
            {
                if (i != j)
                {
                    total += _utility(pool[i].Text, pool[j].Text);
                }
            }

            var mean = total / (pool.Count - 1);
            if (mean > bestScore)
            {
                best = i;
                bestScore = mean;
            }
        }

        _counters.Set("winner_mean_utility", bestScore);
        return pool[best];
    }
}
