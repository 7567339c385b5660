using Microsoft.Extensions.Logging;

namespace Medley.Sdk.Decoding;

/// <summary>What a decoding strategy is given for one request.</summary>
/// <param name="Members">The members, in run-config order.</param>
/// <param name="Prompt">The prompt text (chat template already applied when the request is a chat).</param>
/// <param name="Parameters">The strategy's parameters, validated against its schema.</param>
/// <param name="Sampler">The host's sampler for this request.</param>
/// <param name="Counters">Where the strategy reports its own numbers.</param>
/// <param name="Logger">A logger for the request.</param>
public sealed record DecodingContext(
    IReadOnlyList<DecodingMember> Members,
    string Prompt,
    StrategyParameters Parameters,
    ITokenSampler Sampler,
    StrategyCounters Counters,
    ILogger Logger);
