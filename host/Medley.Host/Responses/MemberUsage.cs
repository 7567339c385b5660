namespace Medley.Host.Responses;

/// <summary>One member's accounting so far: calls, failures, latency, tokens, cost and wins.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Role">Its role.</param>
/// <param name="Location">The model folder, or the endpoint and model of a remote member.</param>
/// <param name="Calls">Calls made (each counted once, whatever its retries).</param>
/// <param name="Failures">Calls that ended in an error (timeouts included; cancellations by the caller excluded).</param>
/// <param name="Attempts">Requests actually sent: HTTP attempts for a remote member (retries included), calls for a local one.</param>
/// <param name="TotalLatencySeconds">Wall time of every call, failed ones included.</param>
/// <param name="InputTokens">Prompt tokens, as the member's usage reports them.</param>
/// <param name="OutputTokens">Generated tokens, as the member's usage reports them.</param>
/// <param name="Cost">Tokens × the member's configured prices (0 without <c>cost</c>).</param>
/// <param name="Wins">Responses of this member the strategy returned (from <c>medley.winner</c>).</param>
public sealed record MemberUsage(
    string Name,
    string Role,
    string Location,
    long Calls,
    long Failures,
    long Attempts,
    double TotalLatencySeconds,
    long InputTokens,
    long OutputTokens,
    double Cost,
    long Wins)
{
    /// <summary>Mean wall time per call (0 before the first).</summary>
    public double MeanLatencySeconds => Calls == 0 ? 0 : TotalLatencySeconds / Calls;
}
