using Medley.Sdk.Models;

namespace Medley.Sdk.Decoding;

/// <summary>A model playing a role in a token-level strategy.</summary>
/// <param name="Role">The role from the strategy's manifest (<c>target</c>, <c>draft</c>, <c>member</c>…).</param>
/// <param name="Name">The member's name in the run config.</param>
/// <param name="Model">The loaded model.</param>
/// <param name="Parameters">Per-member parameters from the run config (e.g. <c>weight</c>).</param>
public sealed record DecodingMember(string Role, string Name, ICausalLanguageModel Model, StrategyParameters Parameters);
