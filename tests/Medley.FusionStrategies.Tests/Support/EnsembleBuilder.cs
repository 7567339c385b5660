using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.FusionStrategies.Tests.Support;

/// <summary>Builds a strategy's chat client over named in-process members with roles.</summary>
public static class EnsembleBuilder
{
    public static IChatClient Create(
        IResponseStrategy strategy,
        string parametersJson,
        StrategyCounters counters,
        CapturingLoggerFactory loggers,
        params Participant[] members)
    {
        var responseMembers = members.Select(m => new ResponseMember(
            m.Name, m.Role, m.Client, m.ParametersJson is null ? StrategyParameters.Empty : StrategyParameters.FromJson(m.ParametersJson))).ToList();
        return strategy.CreateClient(new ResponseStrategyContext(
            responseMembers, StrategyParameters.FromJson(parametersJson), counters, loggers, TimeProvider.System));
    }

    public static IChatClient Create(IResponseStrategy strategy, string parametersJson, params Participant[] members) =>
        Create(strategy, parametersJson, new StrategyCounters(), new CapturingLoggerFactory(), members);

    public static Task<ChatResponse> AskAsync(IChatClient client, CancellationToken cancellationToken = default) =>
        client.GetResponseAsync([new ChatMessage(ChatRole.User, "Which is best?")], cancellationToken: cancellationToken);

    public static async Task<(string Text, int Updates, object? Winner)> StreamAsync(IChatClient client)
    {
        var text = new System.Text.StringBuilder();
        var updates = 0;
        object? winner = null;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Which is best?")]))
        {
            text.Append(update.Text);
            updates++;
            winner ??= update.AdditionalProperties?.GetValueOrDefault("medley.winner");
        }

        return (text.ToString(), updates, winner);
    }
}
