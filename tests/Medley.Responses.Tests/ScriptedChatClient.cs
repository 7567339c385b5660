using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.Responses.Tests;

/// <summary>
/// A member whose answers are scripted: each call advances the test's clock by its latency, then returns its text
/// and usage, or throws.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<(TimeSpan Latency, string? Text, long Input, long Output)> _script;
    private readonly ManualClock _clock;

    public ScriptedChatClient(ManualClock clock, params (TimeSpan Latency, string? Text, long Input, long Output)[] script)
    {
        _clock = clock;
        _script = new Queue<(TimeSpan, string?, long, long)>(script);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (latency, text, input, output) = _script.Dequeue();
        _clock.Advance(latency);
        return text is null
            ? throw new InvalidOperationException("scripted failure")
            : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (latency, text, input, output) = _script.Dequeue();
        await Task.Yield();
        _clock.Advance(latency);
        if (text is null)
        {
            throw new InvalidOperationException("scripted failure");
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, text);
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output })]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
