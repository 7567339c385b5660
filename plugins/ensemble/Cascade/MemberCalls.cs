using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Cascade;

/// <summary>Calls cascade members, counting calls per member tier and turning a member's failure into <see cref="MemberCallFailedException"/>.</summary>
internal sealed class MemberCalls
{
    private readonly StrategyCounters _counters;

    public MemberCalls(StrategyCounters counters) => _counters = counters;

    public async Task<ChatResponse> AskAsync(CascadeMember member, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        _counters.Add("member_calls");
        _counters.Add($"tier_calls.{member.TierLabel}");
        try
        {
            return await member.Member.Client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MemberCallFailedException(error.Message, error);
        }
    }
}
