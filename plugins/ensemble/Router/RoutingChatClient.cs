using System.Runtime.CompilerServices;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Router;

/// <summary>
/// The router as a chat client: the selector picks one member from the last user message and that member answers
/// the whole conversation. When the chosen member fails, the default member answers instead (with a warning);
/// when that fails too, the request fails. Streaming yields the chosen member's response once it is complete.
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
        var question = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? conversation.LastOrDefault()?.Text ?? string.Empty;
        var decision = await _selector.SelectAsync(question, cancellationToken).ConfigureAwait(false);
        RecordScore(decision.Score);

        var chosen = decision.Member;
        ChatResponse response;
        try
        {
            response = await _members[chosen].Member.Client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && chosen != _defaultMember)
        {
            _counters.Add("fallbacks");
            _logger.LogWarning(error, "Member '{Member}' failed, so the default member '{Default}' answers: {Message}", chosen, _defaultMember, error.Message);
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
