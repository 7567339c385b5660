using System.Runtime.CompilerServices;
using Medley.Ensemble.Responses;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.PairwiseRank;

/// <summary>
/// The ensemble as a chat client: pools the members' answers, ranks them with the judge and returns the best, or,
/// with fusion, the fuser's answer over the top-K. Without fusion, streaming yields the winner once it is known;
/// with fusion, the fuser's answer streams as it is written.
/// </summary>
internal sealed class PairwiseRankChatClient : IChatClient
{
    private readonly ResponseFanOut _fanOut;
    private readonly PairwiseRanking _ranking;
    private readonly TopKFusion? _fusion;
    private readonly StrategyCounters _counters;

    public PairwiseRankChatClient(ResponseFanOut fanOut, PairwiseRanking ranking, TopKFusion? fusion, StrategyCounters counters)
    {
        _fanOut = fanOut;
        _ranking = ranking;
        _fusion = fusion;
        _counters = counters;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        var (winner, instruction, ranked) = await RankAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        var response = _fusion is null
            ? winner.Response
            : await _fusion.Fuser.Client.GetResponseAsync(_fusion.Messages(instruction, ranked), options, cancellationToken).ConfigureAwait(false);
        response.AdditionalProperties ??= [];
        Mark(response.AdditionalProperties, winner);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        var (winner, instruction, ranked) = await RankAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        var updates = _fusion is null
            ? winner.Response.ToChatResponseUpdates().ToAsyncEnumerable()
            : _fusion.Fuser.Client.GetStreamingResponseAsync(_fusion.Messages(instruction, ranked), options, cancellationToken);
        var first = true;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                update.AdditionalProperties ??= [];
                Mark(update.AdditionalProperties, winner);
                first = false;
            }

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

    private void Mark(AdditionalPropertiesDictionary properties, Candidate winner)
    {
        properties["medley.winner"] = winner.MemberName;
        if (_fusion is not null)
        {
            properties["medley.fuser"] = _fusion.Fuser.Name;
        }
    }

    private async Task<(Candidate Winner, string Instruction, IReadOnlyList<string> Ranked)> RankAsync(
        List<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var pool = await _fanOut.CollectAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        var instruction = PromptText.Instruction(conversation);
        var order = await _ranking.RankAsync(instruction, pool.Select(c => c.Text).ToList(), cancellationToken).ConfigureAwait(false);
        _counters.Set("winner_index", order[0]);
        _counters.Set("candidates", pool.Count);
        return (pool[order[0]], instruction, order.Select(i => pool[i].Text).ToList());
    }
}
