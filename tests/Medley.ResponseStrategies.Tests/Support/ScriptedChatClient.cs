using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.ResponseStrategies.Tests.Support;

/// <summary>
/// A chat member that answers its calls with scripted texts in order (the last one repeats), after an optional delay.
/// It records the seeds it was asked with, how many calls ran at once at most, and how many are running now.
/// </summary>
public class ScriptedChatClient : IChatClient
{
    private readonly string[] _texts;
    private readonly TimeSpan _delay;
    private int _calls;
    private int _running;
    private int _maxRunning;

    public ScriptedChatClient(params string[] texts)
        : this(TimeSpan.Zero, texts)
    {
    }

    public ScriptedChatClient(TimeSpan delay, params string[] texts)
    {
        _texts = texts;
        _delay = delay;
    }

    public int Calls => Volatile.Read(ref _calls);

    public int Running => Volatile.Read(ref _running);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public List<long?> Seeds { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls) - 1;
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        lock (Seeds)
        {
            Seeds.Add(options?.Seed);
        }

        try
        {
            await AnswerDelayAsync(cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, _texts[Math.Min(call, _texts.Length - 1)]));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => GC.SuppressFinalize(this);

    protected virtual Task AnswerDelayAsync(CancellationToken cancellationToken) =>
        _delay == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(_delay, cancellationToken);

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
