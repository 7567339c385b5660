using System.Runtime.CompilerServices;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.Conformance.Tests.Broken;

/// <summary>The client of <see cref="RawExceptionResponseStrategy"/>: tries members in order, rethrowing the last failure.</summary>
public sealed class FirstAnswerChatClient(IReadOnlyList<ResponseMember> members) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages.ToList();
        for (var i = 0; ; i++)
        {
            try
            {
                return await members[i].Client.GetResponseAsync(conversation, options, cancellationToken);
            }
            catch (HttpRequestException) when (i < members.Count - 1)
            {
                // Try the next member; the last failure escapes as it is, which is the bug under test.
            }
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
