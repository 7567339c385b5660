using System.Runtime.CompilerServices;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Router;

/// <summary>
/// The router as a chat client: the selector picks one member from the last user message and that member answers
/// the whole conversation. When the chosen member fails, the default member answers instead (with a warning), then
/// the other members in order; only when every member fails does the request fail. Streaming passes the answering
/// member's updates straight through.
/// </summary>
internal sealed class RoutingChatClient : IChatClient
{
    private readonly IRouteSelector _selector;
    private readonly IReadOnlyDictionary<string, RouterMember> _members;
    private readonly string _defaultMember;
    private readonly StrategyCounters _counters;
    private readonly ILogger _logger;
    private readonly Lock _scoreGate = new();
    private double _scoreSum;
    private int _scored;

    public RoutingChatClient(IRouteSelector selector, IReadOnlyList<RouterMember> members, string defaultMember, StrategyCounters counters, ILogger logger)
    {
        _selector = selector;
        _members = members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        _defaultMember = defaultMember;
        _counters = counters;
        _logger = logger;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        var chosen = await RouteAsync(conversation, cancellationToken).ConfigureAwait(false);
        var failures = new List<(string Member, Exception Error)>();
        foreach (var candidate in FallbackOrder(chosen))
        {
            ChatResponse response;
            try
            {
                response = await _members[candidate].Member.Client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add((candidate, error));
                continue;
            }

            Answered(candidate, failures);
            response.AdditionalProperties ??= [];
            response.AdditionalProperties["medley.winner"] = candidate;
            return response;
        }

        throw Failed(failures);
    }

    // The chosen member streams straight through. Falling back to another member is only possible until the first
    // update arrives; a failure after that reaches the caller, who has already received part of an answer.
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        var chosen = await RouteAsync(conversation, cancellationToken).ConfigureAwait(false);
        var (member, updates, hasFirst) = await OpenStreamAsync(chosen, conversation, options, cancellationToken).ConfigureAwait(false);
        await using (updates.ConfigureAwait(false))
        {
            if (!hasFirst)
            {
                yield break;
            }

            var first = updates.Current;
            first.AdditionalProperties ??= [];
            first.AdditionalProperties["medley.winner"] = member;
            yield return first;
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                yield return updates.Current;
            }
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

    private async Task<string> RouteAsync(List<ChatMessage> conversation, CancellationToken cancellationToken)
    {
        var question = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? conversation.LastOrDefault()?.Text ?? string.Empty;
        var decision = await _selector.SelectAsync(question, cancellationToken).ConfigureAwait(false);
        RecordScore(decision.Score);
        return decision.Member;
    }

    // A failed member is dropped from this request's pool, as in every response strategy: the default member is
    // asked next, then the others in run-config order, so the router answers while any member can.
    private IEnumerable<string> FallbackOrder(string chosen) =>
        new[] { chosen, _defaultMember }.Concat(_members.Keys).Distinct(StringComparer.Ordinal);

    private async Task<(string Member, IAsyncEnumerator<ChatResponseUpdate> Updates, bool HasFirst)> OpenStreamAsync(
        string chosen, List<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var failures = new List<(string Member, Exception Error)>();
        foreach (var candidate in FallbackOrder(chosen))
        {
            var updates = _members[candidate].Member.Client.GetStreamingResponseAsync(conversation, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                var hasFirst = await updates.MoveNextAsync().ConfigureAwait(false);
                Answered(candidate, failures);
                return (candidate, updates, hasFirst);
            }
            catch (Exception error)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                failures.Add((candidate, error));
            }
        }

        throw Failed(failures);
    }

    private void Answered(string member, List<(string Member, Exception Error)> failures)
    {
        _counters.Add($"routed_to.{member}");
        foreach (var (failed, error) in failures)
        {
            _counters.Add("fallbacks");
            _logger.LogWarning(error, "Member '{Member}' failed, so the router asks '{Next}' instead: {Message}", failed, member, error.Message);
        }
    }

    private static MedleyException Failed(List<(string Member, Exception Error)> failures) =>
        new(
            "router.member_failed",
            $"Every router member failed, so the router has no answer: {string.Join("; ", failures.Select(f => $"'{f.Member}': {f.Error.Message}"))}",
            MedleyErrorKind.Failure,
            innerException: failures[^1].Error);

    private void RecordScore(double? score)
    {
        if (score is not { } value)
        {
            return;
        }

        lock (_scoreGate)
        {
            _scoreSum += value;
            _scored++;
            _counters.Set("scored_requests", _scored);
            _counters.Set("score_mean", _scoreSum / _scored);
        }
    }
}
