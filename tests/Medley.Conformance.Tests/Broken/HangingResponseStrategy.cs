using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Delegates to its first member, but waits on a timer that ignores the caller's token first.</summary>
public sealed class HangingResponseStrategy : IResponseStrategy
{
    public IChatClient CreateClient(ResponseStrategyContext context) => new HangingChatClient(context.Members[0].Client);

    private sealed class HangingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
