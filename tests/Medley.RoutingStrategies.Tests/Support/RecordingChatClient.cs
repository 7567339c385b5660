using Medley.ResponseStrategies.Tests.Support;
using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests.Support;

/// <summary>A scripted member that also keeps the last user message and the options of every call.</summary>
public sealed class RecordingChatClient : IChatClient
{
    private readonly ScriptedChatClient _script;

    public RecordingChatClient(params string[] texts) => _script = new ScriptedChatClient(texts);

    public List<string> Prompts { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    public int Calls => _script.Calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (Prompts)
        {
            Prompts.Add(messages.Last(m => m.Role == ChatRole.User).Text);
            Options.Add(options);
        }

        return _script.GetResponseAsync(messages, options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _script.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => _script.Dispose();
}
