using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.Sdk.Testing;

/// <summary>
/// A scripted in-process chat member: it answers every request with the same text (streamed in small pieces), or,
/// when created with <see cref="Failing"/>, throws <see cref="HttpRequestException"/> as an unreachable endpoint would.
/// It honours cancellation.
/// </summary>
public sealed class ConformanceChatClient : IChatClient
{
    private readonly string? _reply;
    private int _calls;

    /// <summary>Creates a member that always answers <paramref name="reply"/>.</summary>
    /// <param name="reply">The answer.</param>
    public ConformanceChatClient(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        _reply = reply;
    }

    private ConformanceChatClient()
    {
    }

    /// <summary>Requests received so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Creates a member whose every call fails.</summary>
    /// <returns>The member.</returns>
    public static ConformanceChatClient Failing() => new();

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = await ReplyAsync(cancellationToken).ConfigureAwait(false);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { FinishReason = ChatFinishReason.Stop };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = await ReplyAsync(cancellationToken).ConfigureAwait(false);
        for (var start = 0; start < reply.Length; start += 3)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Substring(start, Math.Min(3, reply.Length - start)));
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing is held.
    }

    private async Task<string> ReplyAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        cancellationToken.ThrowIfCancellationRequested();
        // Yielding makes the member asynchronous, as a real endpoint is, so ordering bugs in the strategy show.
        await Task.Yield();
        return _reply ?? throw new HttpRequestException("The conformance member is scripted to fail.");
    }
}
