using Medley.Cooperation.Tests.Support;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests.Support;

/// <summary>Builds a response strategy's client over in-process members with roles and per-member parameters.</summary>
public sealed class TestEnsemble
{
    private readonly List<ResponseMember> _members = [];

    public StrategyCounters Counters { get; } = new();

    public CapturingLoggerFactory Loggers { get; } = new();

    public List<string> Warnings => Loggers.Logger.Warnings;

    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; set; }

    public TestEnsemble Member(string name, IChatClient client, string parametersJson = "{}") => Add(name, "member", client, parametersJson);

    public TestEnsemble Add(string name, string role, IChatClient client, string parametersJson = "{}")
    {
        _members.Add(new ResponseMember(name, role, client, StrategyParameters.FromJson(parametersJson)));
        return this;
    }

    public IChatClient Build(IResponseStrategy strategy, string parametersJson) =>
        strategy.CreateClient(new ResponseStrategyContext(_members, StrategyParameters.FromJson(parametersJson), Counters, Loggers, TimeProvider.System, Embeddings));

    public static Task<ChatResponse> AskAsync(IChatClient client, string question, CancellationToken cancellationToken = default) =>
        client.GetResponseAsync([new ChatMessage(ChatRole.User, question)], cancellationToken: cancellationToken);

    public static string Winner(ChatResponse response) => (string)response.AdditionalProperties!["medley.winner"]!;
}
