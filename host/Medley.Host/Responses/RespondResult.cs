namespace Medley.Host.Responses;

/// <summary>What <see cref="RespondToPrompt"/> answers: the text, the strategy's counters and every member's accounting.</summary>
/// <param name="Answer">The response text.</param>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Kind">Its kind (<c>step</c>, <c>decoding</c>, <c>response</c>).</param>
/// <param name="Winner">The member whose response was returned, when the strategy says (<c>medley.winner</c>).</param>
/// <param name="FinishReason">Why the answer ended (<c>stop</c>, <c>length</c>…), when known.</param>
/// <param name="Seconds">Wall time of the request.</param>
/// <param name="Counters">The strategy's counters.</param>
/// <param name="Members">Each member's calls, failures, latency, tokens, cost and wins.</param>
public sealed record RespondResult(
    string Answer,
    string Strategy,
    string Kind,
    string? Winner,
    string? FinishReason,
    double Seconds,
    IReadOnlyDictionary<string, double> Counters,
    IReadOnlyList<MemberUsage> Members);
