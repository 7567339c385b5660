using System.Diagnostics;
using Microsoft.Extensions.AI;

/// <summary>
/// Application-side middleware, written against Microsoft.Extensions.AI alone: it times each request and reports it
/// on the response. It wraps a Medley ensemble the same way it would wrap any single chat model.
/// </summary>
internal sealed class TimingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public const string ElapsedKey = "sample.elapsed_ms";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ElapsedKey] = clock.Elapsed.TotalMilliseconds;
        return response;
    }
}
