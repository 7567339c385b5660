namespace Medley.Ensemble.Router;

/// <summary>Rules are tried in order and the first match wins; no match goes to the default member.</summary>
internal sealed class RuleRouter : IRouteSelector
{
    private readonly IReadOnlyList<RoutingRule> _rules;
    private readonly string _defaultMember;

    public RuleRouter(IReadOnlyList<RoutingRule> rules, string defaultMember)
    {
        _rules = rules;
        _defaultMember = defaultMember;
    }

    public Task<RouteDecision> SelectAsync(string question, CancellationToken cancellationToken)
    {
        var rule = _rules.FirstOrDefault(r => r.Matches(question));
        return Task.FromResult(new RouteDecision(rule?.Member ?? _defaultMember, null));
    }
}
