using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Sdk.Responses;

/// <summary>What a response strategy is given when its client is built.</summary>
/// <param name="Members">The members, in run-config order.</param>
/// <param name="Parameters">The strategy's parameters, validated against its schema.</param>
/// <param name="Counters">Where the strategy reports its own numbers.</param>
/// <param name="LoggerFactory">Loggers for the strategy.</param>
/// <param name="TimeProvider">The clock (tests substitute their own).</param>
/// <param name="EmbeddingGenerator">An embedding generator, when the run config names one.</param>
public sealed record ResponseStrategyContext(
    IReadOnlyList<ResponseMember> Members,
    StrategyParameters Parameters,
    StrategyCounters Counters,
    ILoggerFactory LoggerFactory,
    TimeProvider TimeProvider,
    IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator = null);
