using System.Globalization;
using Medley.Sdk;
using Medley.Sdk.Responses;

namespace Medley.Ensemble.Cascade;

/// <summary>
/// Cheapest first: by per-member <c>cost</c> when members give one (then every member must), else weak before strong
/// when members give a <c>tier</c> (then every member must), else run-config order. Sorting is stable, so equal costs
/// or tiers keep run-config order.
/// </summary>
internal static class CascadeOrder
{
    public static List<CascadeMember> Arrange(IReadOnlyList<ResponseMember> members)
    {
        if (members.Count == 0)
        {
            throw new MedleyException("strategy.members", "A cascade needs at least one member with role 'member'; the run config names none.");
        }

        var tiers = members.Select(Tier).ToList();
        var costs = members.Select(m => m.Parameters.Contains("cost") ? m.Parameters.GetRequiredDouble("cost") : (double?)null).ToList();
        RequireAllOrNone(members, costs.Select(c => c is not null).ToList(), "cost");
        RequireAllOrNone(members, tiers.Select(t => t is not null).ToList(), "tier");

        var order = Enumerable.Range(0, members.Count);
        if (costs[0] is not null)
        {
            order = order.OrderBy(i => costs[i]!.Value);
        }
        else if (tiers[0] is not null)
        {
            order = order.OrderBy(i => tiers[i] == "weak" ? 0 : 1);
        }

        return order
            .Select((member, level) => new CascadeMember(members[member], tiers[member] ?? (level + 1).ToString(CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static string? Tier(ResponseMember member) => member.Parameters.GetString("tier", null) switch
    {
        null => null,
        "weak" => "weak",
        "strong" => "strong",
        var other => throw new MedleyException("parameter.invalid", $"Member '{member.Name}': parameter 'tier' is \"{other}\": expected \"weak\" or \"strong\"."),
    };

    private static void RequireAllOrNone(IReadOnlyList<ResponseMember> members, List<bool> given, string parameter)
    {
        if (given.Any(g => g) && !given.All(g => g))
        {
            var missing = members.Where((_, i) => !given[i]).Select(m => $"'{m.Name}'");
            throw new MedleyException("parameter.missing", $"Per-member parameter '{parameter}' orders the cascade, so every member needs it; missing for {string.Join(", ", missing)}.");
        }
    }
}
