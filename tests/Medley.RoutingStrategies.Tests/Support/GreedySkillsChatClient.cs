using Medley.Ensemble.Cascade;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests.Support;

/// <summary>
/// A skills model as a chat member: the last user message is the raw prompt (the skills models have no chat
/// template), the answer is greedy decoding until end of sequence, and each chosen token's log-probability is
/// reported under <see cref="ResponseLogProbabilities.TokensKey"/>, as the cascade's logprob scorer expects.
/// </summary>
public sealed class GreedySkillsChatClient : IChatClient
{
    private const int MaxTokens = 16;
    private readonly ICausalLanguageModel _model;

    public GreedySkillsChatClient(ICausalLanguageModel model) => _model = model;

    public int Calls { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var tokenizer = _model.Tokenizer;
        var eos = tokenizer.EosTokenIds.ToHashSet();
        using var session = _model.CreateSession();
        var logits = await session.AppendAsync(tokenizer.Encode(messages.Last(m => m.Role == ChatRole.User).Text, addSpecialTokens: true).ToArray(), cancellationToken: cancellationToken);
        var generated = new List<int>();
        var logProbabilities = new List<double>();
        var scratch = new float[logits.VocabularySize];
        while (generated.Count < MaxTokens)
        {
            var row = logits.Last.Span[..tokenizer.VocabularySize];
            var token = LogProbabilities.ArgMax(row);
            logProbabilities.Add(row[token] - LogProbabilities.LogSumExp(row, 1.0, scratch));
            if (eos.Contains(token))
            {
                break;
            }

            generated.Add(token);
            logits = await session.AppendAsync(new[] { token }, cancellationToken: cancellationToken);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, tokenizer.Decode(generated)))
        {
            AdditionalProperties = new() { [ResponseLogProbabilities.TokensKey] = logProbabilities },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
