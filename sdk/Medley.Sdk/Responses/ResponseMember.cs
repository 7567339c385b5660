using Microsoft.Extensions.AI;

namespace Medley.Sdk.Responses;

/// <summary>A chat model taking part in a response-level strategy.</summary>
/// <param name="Name">The member's name in the run config.</param>
/// <param name="Role">The role it plays (<c>member</c>, <c>judge</c>, <c>aggregator</c>…).</param>
/// <param name="Client">The member, already bounded by the host's timeout and retry policy.</param>
/// <param name="Parameters">Per-member settings from the run config (tier, cost per token, profile…).</param>
public sealed record ResponseMember(string Name, string Role, IChatClient Client, StrategyParameters Parameters);
