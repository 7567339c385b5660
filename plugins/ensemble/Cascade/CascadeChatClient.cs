using System.Runtime.CompilerServices;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Cascade;

/// <summary>
/// The cascade as a chat client: members are asked cheapest first, and the first answer the scorer accepts is
/// returned; otherwise the request escalates to the next member. The last member is asked once and its answer is
/// accepted unscored. A member whose call fails is skipped with a warning; when the last member fails, the latest
/// rejected answer is returned (with a warning), and when nobody answered the request fails. Streaming yields the
/// accepted response once it is known.
/// </summary>
internal sealed class CascadeChatClient : IChatClient
{
    private readonly IReadOnlyList<CascadeMember> _members;
    private readonly IAnswerScorer _scorer;
    private readonly MemberCalls _calls;
    private readonly StrategyCounters _counters;
    private readonly ILogger _logger;

    public CascadeChatClient(IReadOnlyList<CascadeMember> members, IAnswerScorer scorer, StrategyCounters counters, ILogger logger)
    {
        _members = members;
        _scorer = scorer;
        _calls = new MemberCalls(counters);
        _counters = counters;
        _logger = logger;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        (CascadeMember Member, ChatResponse Response)? rejected = null;
        var failures = new List<string>();
        for (var level = 0; level < _members.Count; level++)
        {
            var member = _members[level];
            try
            {
                if (level == _members.Count - 1)
                {
                    return Answered(member, await _calls.AskAsync(member, conversation, options, cancellationToken).ConfigureAwait(false));
                }

                var scored = await _scorer.AnswerAsync(member, _calls, conversation, options, cancellationToken).ConfigureAwait(false);
                if (scored.Accepted)
                {
                    return Answered(member, scored.Response);
                }

                rejected = (member, scored.Response);
            }
            catch (MemberCallFailedException error)
            {
                var cause = error.InnerException ?? error;
                failures.Add($"'{member.Name}': {cause.Message}");
                _counters.Add("failed_members");
                _logger.LogWarning(cause, "Member '{Member}' failed, so the cascade escalates past it: {Message}", member.Name, cause.Message);
            }

            if (level < _members.Count - 1)
            {
                _counters.Add("escalations");
            }
        }

        if (rejected is { } fallback)
        {
            _counters.Add("fallbacks");
            _logger.LogWarning("The last member failed, so member '{Member}''s rejected answer is returned.", fallback.Member.Name);
            return Answered(fallback.Member, fallback.Response);
        }

        throw new MedleyException(
            "cascade.all_failed",
            $"Every member of the cascade failed, so there is no answer: {string.Join("; ", failures)}.",
            MedleyErrorKind.Failure,
            details: failures);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    // The members belong to the host, which disposes them; this client holds nothing else.
    public void Dispose()
    {
    }

    private ChatResponse Answered(CascadeMember member, ChatResponse response)
    {
        _counters.Add($"answered_by.{member.Name}");
        response.AdditionalProperties ??= [];
        response.AdditionalProperties["medley.winner"] = member.Name;
        return response;
    }
}
