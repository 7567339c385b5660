namespace Medley.Host.Pipeline;

/// <summary>A request that may carry its own time limit.</summary>
public interface ITimeLimitedRequest
{
    /// <summary>The longest the request may run; <see langword="null"/> for the host's default.</summary>
    TimeSpan? TimeLimit { get; }
}
