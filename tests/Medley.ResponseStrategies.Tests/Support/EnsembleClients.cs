using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.ResponseStrategies.Tests.Support;

/// <summary>Builds a strategy's chat client over named in-process members.</summary>
public static class EnsembleClients
{
    public static IChatClient Create(
        IResponseStrategy strategy,
        string parametersJson,
        StrategyCounters counters,
        CapturingLoggerFactory loggers,
        params (string Name, IChatClient Client)[] members)
    {
        var responseMembers = members.Select(m => new ResponseMember(m.Name, "member", m.Client, StrategyParameters.Empty)).ToList();
        return strategy.CreateClient(new ResponseStrategyContext(
            responseMembers, StrategyParameters.FromJson(parametersJson), counters, loggers, TimeProvider.System));
    }

    public static IChatClient Create(IResponseStrategy strategy, string parametersJson, params (string Name, IChatClient Client)[] members) =>
        Create(strategy, parametersJson, new StrategyCounters(), new CapturingLoggerFactory(), members);

    public static Task<ChatResponse> AskAsync(IChatClient client, CancellationToken cancellationToken = default) =>
        client.GetResponseAsync([new ChatMessage(ChatRole.User, "12+345=")], cancellationToken: cancellationToken);
}
