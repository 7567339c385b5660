using Medley.Ensemble.Responses;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Vote;

/// <summary>
/// Majority vote (self-consistency) over <c>samples</c> answers from each member: the answers are extracted
/// (<c>exact</c>, <c>last_number</c> or <c>regex</c>), the most frequent wins, ties go to the earliest answer in
/// run-config member order then sample index, and the first full response giving the winning answer is returned.
/// Counters: <c>winner_votes</c> and <c>distinct_answers</c> (of the last request), <c>dropped_members</c>,
/// <c>member_calls</c>.
/// </summary>
[MedleyStrategy("vote")]
public sealed class VoteStrategy : IResponseStrategy
{
    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var extraction = parameters.GetString("extraction", "exact") switch
        {
            "exact" => AnswerExtraction.Exact,
            "last_number" => AnswerExtraction.LastNumber,
            "regex" => AnswerExtraction.Regex,
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'extraction' is \"{other}\": expected \"exact\", \"last_number\" or \"regex\"."),
        };
        var vote = new MajorityVote(new AnswerExtractor(extraction, parameters.GetString("pattern", null)), context.Counters);
        var fanOut = new ResponseFanOut(
            context.Members.Where(m => m.Role == "member").ToList(),
            FanOutSettings.FromParameters(parameters),
            context.Counters,
            context.LoggerFactory.CreateLogger<VoteStrategy>());
        return new CandidateSelectingChatClient(fanOut, vote.Select);
    }
}
