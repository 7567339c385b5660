using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Cascade;

/// <summary>Asks one cascade member and decides whether its answer is good enough to stop.</summary>
internal interface IAnswerScorer
{
    Task<ScoredAnswer> AnswerAsync(CascadeMember member, MemberCalls calls, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken);
}
