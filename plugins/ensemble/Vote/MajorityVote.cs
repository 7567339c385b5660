using Medley.Ensemble.Responses;
using Medley.Sdk;

namespace Medley.Ensemble.Vote;

/// <summary>
/// Self-consistency: every candidate votes for its extracted answer, the answer with most votes wins and the first
/// candidate that gave it is returned. Ties go to the answer given earliest in pool order (run-config member order,
/// then sample index), so the result does not depend on which call finished first.
/// </summary>
internal sealed class MajorityVote
{
    private readonly AnswerExtractor _extractor;
    private readonly StrategyCounters _counters;

    public MajorityVote(AnswerExtractor extractor, StrategyCounters counters)
    {
        _extractor = extractor;
        _counters = counters;
    }

    public Candidate Select(IReadOnlyList<Candidate> pool)
    {
        // Answers in order of first appearance, so a strict ">" below keeps the earliest among equals.
        var votes = new Dictionary<string, (int Count, Candidate First)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var candidate in pool)
        {
            if (_extractor.Extract(candidate.Text) is not { } answer)
            {
                continue;
            }

            if (votes.TryGetValue(answer, out var tally))
            {
                votes[answer] = (tally.Count + 1, tally.First);
            }
            else
            {
                votes[answer] = (1, candidate);
                order.Add(answer);
            }
        }

        _counters.Set("distinct_answers", order.Count);
        if (order.Count == 0)
        {
            // Nobody gave an extractable answer: there is nothing to vote on, so the first candidate stands.
            _counters.Set("winner_votes", 0);
            _counters.Add("no_answer_requests");
            return pool[0];
        }

        var winner = order[0];
        foreach (var answer in order)
        {
            if (votes[answer].Count > votes[winner].Count)
            {
                winner = answer;
            }
        }

        _counters.Set("winner_votes", votes[winner].Count);
        return votes[winner].First;
    }
}
