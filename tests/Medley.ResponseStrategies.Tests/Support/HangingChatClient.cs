namespace Medley.ResponseStrategies.Tests.Support;

/// <summary>A member that never answers until its call is cancelled; <see cref="Started"/> completes once a call is running.</summary>
public sealed class HangingChatClient : ScriptedChatClient
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HangingChatClient()
        : base("never returned")
    {
    }

    public Task Started => _started.Task;

    protected override Task AnswerDelayAsync(CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        return Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
