namespace Medley.Sdk;

/// <summary>A role a model plays in a strategy, as declared in the plugin manifest.</summary>
/// <param name="Name">The role name used in run configs (<c>target</c>, <c>draft</c>, <c>expert</c>…).</param>
/// <param name="Required">Whether a run must fill this role.</param>
/// <param name="Multiple">Whether several models may fill it (ensemble members).</param>
/// <param name="Summary">What the role is for.</param>
public sealed record StrategyRole(string Name, bool Required = true, bool Multiple = false, string? Summary = null);
