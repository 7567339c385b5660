using System.Runtime.CompilerServices;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Router;

/// <summary>
/// The router as a chat client: the selector picks one member from the last user message and that member answers
/// the whole conversation. When the chosen member fails, the default member answers instead (with a warning);
/// when that fails too, the request fails. Streaming passes the chosen member's updates straight through.
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
        ChatResponse response;
        try
        {
            response = await _members[chosen].Member.Client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && chosen != _defaultMember)
        {
            FallingBack(chosen, error);
            chosen = _defaultMember;
            response = await AskDefaultAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(error);
        }

        _counters.Add($"routed_to.{chosen}");
        response.AdditionalProperties ??= [];
        response.AdditionalProperties["medley.winner"] = chosen;
        return response;
    }

    // The chosen member streams straight through. Falling back to the default member is only possible until the
    // first update arrives; a failure after that reaches the caller, who has already received part of an answer.
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
            _counters.Add($"routed_to.{member}");
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

    private async Task<ChatResponse> AskDefaultAsync(List<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await _members[_defaultMember].Member.Client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(error);
        }
    }

    private async Task<(string Member, IAsyncEnumerator<ChatResponseUpdate> Updates, bool HasFirst)> OpenStreamAsync(
        string chosen, List<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var updates = _members[chosen].Member.Client.GetStreamingResponseAsync(conversation, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            return (chosen, updates, await updates.MoveNextAsync().ConfigureAwait(false));
        }
        catch (Exception error)
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            if (chosen == _defaultMember)
            {
                throw Failed(error);
            }

            FallingBack(chosen, error);
        }

        var fallback = _members[_defaultMember].Member.Client.GetStreamingResponseAsync(conversation, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            return (_defaultMember, fallback, await fallback.MoveNextAsync().ConfigureAwait(false));
        }
        catch (Exception error)
        {
            await fallback.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw Failed(error);
        }
    }

    private void FallingBack(string chosen, Exception error)
    {
        _counters.Add("fallbacks");
        _logger.LogWarning(error, "Member '{Member}' failed, so the default member '{Default}' answers: {Message}", chosen, _defaultMember, error.Message);
    }

    private MedleyException Failed(Exception error) =>
        new("router.member_failed", $"The default member '{_defaultMember}' failed, so the router has no answer: {error.Message}", MedleyErrorKind.Failure, innerException: error);

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
