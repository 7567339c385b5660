using Microsoft.Extensions.Logging;

namespace Medley.Sdk.Decoding;

/// <summary>What a step combiner is told when a request starts.</summary>
/// <param name="Members">The members, in run-config order; <see cref="StepInput.MemberLogits"/> follows this order.</param>
/// <param name="PromptTokens">The prompt as token ids (the members share a vocabulary).</param>
/// <param name="Parameters">The strategy's parameters, validated against its schema.</param>
/// <param name="Counters">Where the combiner reports its own numbers.</param>
/// <param name="Logger">A logger for the request.</param>
public sealed record StepCombinerContext(
    IReadOnlyList<DecodingMember> Members,
    IReadOnlyList<int> PromptTokens,
    StrategyParameters Parameters,
    StrategyCounters Counters,
    ILogger Logger);
