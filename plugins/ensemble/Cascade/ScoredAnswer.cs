using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Cascade;

/// <summary>A member's answer and whether the scorer accepts it.</summary>
/// <param name="Response">The answer returned if accepted.</param>
/// <param name="Accepted">Whether the cascade stops here.</param>
/// <param name="Score">The scorer's number (mean log-probability, agreement share or share of "yes").</param>
internal sealed record ScoredAnswer(ChatResponse Response, bool Accepted, double Score);
