using Medley.Ensemble.Cascade;
using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests.Support;

/// <summary>A member that reports per-token log-probabilities with its answer, as a provider adapter would.</summary>
public sealed class LogProbabilityChatClient : IChatClient
{
    private readonly string _text;
    private readonly double[] _tokenLogProbabilities;

    public LogProbabilityChatClient(string text, params double[] tokenLogProbabilities)
    {
        _text = text;
        _tokenLogProbabilities = tokenLogProbabilities;
    }

    public int Calls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, _text));
        if (_tokenLogProbabilities.Length > 0)
        {
            response.AdditionalProperties = new() { [ResponseLogProbabilities.TokensKey] = _tokenLogProbabilities };
        }

        return Task.FromResult(response);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The cascade asks for whole responses.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
