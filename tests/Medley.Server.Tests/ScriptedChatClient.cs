using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.Server.Tests;

/// <summary>
/// A member whose answer is a script: the test decides what it says, when it answers (a gate) and whether it fails,
/// so queueing, cancellation and failures can be driven deterministically.
/// </summary>
public sealed class ScriptedChatClient(Func<CancellationToken, Task<string>> answer) : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public bool Disposed { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var text = await answer(cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var text = await answer(cancellationToken);
        foreach (var word in text.Split(' '))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
        }

        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => Disposed = true;
}
