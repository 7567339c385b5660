using System.Runtime.CompilerServices;
using Medley.Ensemble.Responses;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.MixtureOfAgents;

/// <summary>
/// The mixture as a chat client: the layers of proposers run one after another, each layer's proposers concurrently;
/// layer 1 sees the user's conversation, every later layer and the aggregator see it under the aggregate prompt
/// holding the previous layer's answers. The aggregator's answer is the result, and it streams.
/// </summary>
internal sealed class MixtureOfAgentsChatClient : IChatClient
{
    private readonly IReadOnlyList<ProposerLayer> _layers;
    private readonly ResponseMember _aggregator;
    private readonly AggregatePrompt _prompt;
    private readonly FanOutSettings _fanOut;
    private readonly StrategyCounters _counters;
    private readonly ILogger _logger;

    public MixtureOfAgentsChatClient(
        IReadOnlyList<ProposerLayer> layers,
        ResponseMember aggregator,
        AggregatePrompt prompt,
        FanOutSettings fanOut,
        StrategyCounters counters,
        ILogger logger)
    {
        _layers = layers;
        _aggregator = aggregator;
        _prompt = prompt;
        _fanOut = fanOut;
        _counters = counters;
        _logger = logger;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var aggregatorMessages = await RunLayersAsync(messages.ToList(), options, cancellationToken).ConfigureAwait(false);
        _counters.Add("aggregator_calls");
        var response = await _aggregator.Client.GetResponseAsync(aggregatorMessages, options, cancellationToken).ConfigureAwait(false);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties["medley.aggregator"] = _aggregator.Name;
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var aggregatorMessages = await RunLayersAsync(messages.ToList(), options, cancellationToken).ConfigureAwait(false);
        _counters.Add("aggregator_calls");
        var first = true;
        await foreach (var update in _aggregator.Client.GetStreamingResponseAsync(aggregatorMessages, options, cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                update.AdditionalProperties ??= [];
                update.AdditionalProperties["medley.aggregator"] = _aggregator.Name;
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

    private async Task<List<ChatMessage>> RunLayersAsync(List<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var input = conversation;
        foreach (var layer in _layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var answers = await RunLayerAsync(layer, input, options, cancellationToken).ConfigureAwait(false);
            input = _prompt.Messages(conversation, answers);
        }

        return input;
    }

    private async Task<IReadOnlyList<string>> RunLayerAsync(ProposerLayer layer, List<ChatMessage> input, ChatOptions? options, CancellationToken cancellationToken)
    {
        // Counters of its own per request and layer, so the failures of this layer are exact even when requests overlap.
        var layerCounters = new StrategyCounters();
        var fanOut = new ResponseFanOut(layer.Proposers, _fanOut, layerCounters, _logger);
        try
        {
            var pool = await fanOut.CollectAsync(input, options, cancellationToken).ConfigureAwait(false);
            return pool.Select(c => c.Text).ToList();
        }
        catch (MedleyException error) when (error.Code == "response.quorum_lost")
        {
            throw new MedleyException(
                error.Code,
                $"Mixture-of-agents layer {layer.Number} of {_layers.Count}: {error.Message}",
                error.Kind,
                error.Details,
                error);
        }
        finally
        {
            var failures = layerCounters.Get("dropped_members");
            _counters.Add($"layer_{layer.Number}_calls", layerCounters.Get("member_calls"));
            _counters.Add("member_calls", layerCounters.Get("member_calls"));
            _counters.Add("proposer_failures", failures);
            _counters.Add("dropped_members", failures);
        }
    }
}
