namespace Medley.Ensemble.Router;

/// <summary>One entry of the <c>rules</c> parameter as written in the run config.</summary>
internal sealed record RuleConfig(string? Pattern, IReadOnlyList<string>? Keywords, string? Member);
