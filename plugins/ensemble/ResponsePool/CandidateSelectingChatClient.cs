using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Responses;

/// <summary>
/// The ensemble as a chat client: pools the members' answers and returns the one the strategy selects. Streaming
/// yields the selected response only once it is known, since selection needs every candidate.
/// </summary>
internal sealed class CandidateSelectingChatClient : IChatClient
{
    private readonly ResponseFanOut _fanOut;
    private readonly Func<IReadOnlyList<Candidate>, CancellationToken, ValueTask<Candidate>> _select;

    public CandidateSelectingChatClient(ResponseFanOut fanOut, Func<IReadOnlyList<Candidate>, Candidate> select)
        : this(fanOut, (pool, _) => ValueTask.FromResult(select(pool)))
    {
    }

    // Selections that call out (an embedding generator for MBR's cosine utility) are asynchronous.
    public CandidateSelectingChatClient(ResponseFanOut fanOut, Func<IReadOnlyList<Candidate>, CancellationToken, ValueTask<Candidate>> select)
    {
        _fanOut = fanOut;
        _select = select;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pool = await _fanOut.CollectAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var winner = await _select(pool, cancellationToken).ConfigureAwait(false);
        var response = winner.Response;
        response.AdditionalProperties ??= [];
        response.AdditionalProperties["medley.winner"] = winner.MemberName;
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
}
