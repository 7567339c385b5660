using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Cascade;

/// <summary>Accepts an answer whose mean token log-probability reaches the threshold (one call per member).</summary>
internal sealed class LogProbabilityScorer : IAnswerScorer
{
    private readonly double _threshold;

    public LogProbabilityScorer(double threshold) => _threshold = threshold;

    public async Task<ScoredAnswer> AnswerAsync(CascadeMember member, MemberCalls calls, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var response = await calls.AskAsync(member, conversation, options, cancellationToken).ConfigureAwait(false);
        var mean = ResponseLogProbabilities.Mean(response)
            ?? throw new MedleyException(
                "cascade.logprob_unavailable",
                $"Member '{member.Name}' reported no log-probabilities (additional property '{ResponseLogProbabilities.MeanKey}' or '{ResponseLogProbabilities.TokensKey}'), which scorer \"logprob\" needs: use a member that reports them, or scorer \"agreement\" or \"verify\".");
        return new ScoredAnswer(response, mean >= _threshold, mean);
    }
}
