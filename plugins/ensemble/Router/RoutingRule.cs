using System.Text.RegularExpressions;

namespace Medley.Ensemble.Router;

/// <summary>A rule matches when its pattern matches the question or the question contains one of its keywords.</summary>
internal sealed record RoutingRule(Regex? Pattern, IReadOnlyList<string> Keywords, string Member)
{
    public bool Matches(string question) =>
        (Pattern is not null && Pattern.IsMatch(question)) ||
        Keywords.Any(keyword => question.Contains(keyword, StringComparison.OrdinalIgnoreCase));
}
