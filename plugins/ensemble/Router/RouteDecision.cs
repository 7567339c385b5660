namespace Medley.Ensemble.Router;

/// <summary>Which member answers a request, and the router score that led there when the mode has one.</summary>
/// <param name="Member">The member's name.</param>
/// <param name="Score">The router score (similarity, margin or judge score), or <see langword="null"/>.</param>
internal sealed record RouteDecision(string Member, double? Score);
