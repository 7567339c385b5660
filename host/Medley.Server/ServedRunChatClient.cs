using Medley.Host.Responses;
using Microsoft.Extensions.AI;

namespace Medley.Server;

/// <summary>
/// A served run's chat client: answers through the run's client and, when the registry disposes it at shutdown,
/// frees the whole run (its members' models and HTTP clients), not only the strategy's client.
/// </summary>
internal sealed class ServedRunChatClient(RunChatClient run) : IChatClient
{
    /// <summary>The run behind this client, for its accounting.</summary>
    public RunChatClient Run { get; } = run;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Run.Client.GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Run.Client.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType?.IsInstanceOfType(Run) == true ? Run : Run.Client.GetService(serviceType!, serviceKey);

    public void Dispose() => Run.Dispose();
}
