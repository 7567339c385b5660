namespace Medley.Host.Responses;

/// <summary>Settings of a run's chat client that do not belong in the run config (clocks, test speed-ups).</summary>
public sealed class RunChatClientOptions
{
    /// <summary>The clock of latencies and local timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The first backoff delay before retrying a remote member (doubled each retry, with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
