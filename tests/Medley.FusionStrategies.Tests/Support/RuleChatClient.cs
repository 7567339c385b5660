using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.FusionStrategies.Tests.Support;

/// <summary>
/// A chat member whose answer is a function of the messages it is sent. It keeps every conversation it received, and
/// streams its answer in pieces of <c>chunk</c> characters so that streaming tests see more than one update.
/// </summary>
public sealed class RuleChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, string> _answer;
    private readonly int _chunk;
    private readonly List<IReadOnlyList<ChatMessage>> _received = [];

    public RuleChatClient(Func<IReadOnlyList<ChatMessage>, string> answer, int chunk = 3)
    {
        _answer = answer;
        _chunk = chunk;
    }

    public IReadOnlyList<IReadOnlyList<ChatMessage>> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public int Calls => Received.Count;

    public static RuleChatClient Fixed(string text) => new(_ => text);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(messages))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var text = Answer(messages);
        for (var start = 0; start < text.Length; start += _chunk)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, text.Substring(start, Math.Min(_chunk, text.Length - start)));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private string Answer(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        lock (_received)
        {
            _received.Add(list);
        }

        return _answer(list);
    }
}
