using Medley.Host.Plugins;
using Medley.Sdk;

namespace Medley.Host.Running;

/// <summary>Checks a run's models against the roles its strategy declares, before any model is loaded.</summary>
public static class RunRoles
{
    /// <summary>Every mismatch between the members and the strategy's roles.</summary>
    /// <param name="strategy">The strategy, with its declared roles.</param>
    /// <param name="members">The run's members.</param>
    /// <returns>One line per problem; empty when they fit.</returns>
    public static IReadOnlyList<string> Problems(StrategyDescriptor strategy, IReadOnlyList<RunMemberConfig> members)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(members);
        var problems = new List<string>();
        var declared = string.Join(", ", strategy.Roles.Select(r => r.Name));
        foreach (var role in members.Select(m => m.Role).Distinct(StringComparer.Ordinal))
        {
            if (!strategy.Roles.Any(r => r.Name == role))
            {
                problems.Add($"models.{role}: strategy '{strategy.Name}' has no role '{role}' (its roles: {(declared.Length == 0 ? "none" : declared)})");
            }
        }

        foreach (var role in strategy.Roles)
        {
            var count = members.Count(m => m.Role == role.Name);
            if (count == 0 && role.Required)
            {
                problems.Add($"models.{role.Name}: strategy '{strategy.Name}' requires a model for role '{role.Name}'{Summary(role)}, but none is given");
            }
            else if (count > 1 && !role.Multiple)
            {
                problems.Add($"models.{role.Name}: strategy '{strategy.Name}' takes one model for role '{role.Name}', but {count} are given");
            }
        }

        return problems;
    }

    /// <summary>Throws when the members do not fit the strategy's roles.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="config">The run config.</param>
    /// <exception cref="MedleyException">Listing every mismatch.</exception>
    public static void Check(StrategyDescriptor strategy, RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = Problems(strategy, config.Members);
        if (problems.Count == 0)
        {
            return;
        }

        var where = config.Source.Length == 0 ? "The run config" : $"Run config '{config.Source}'";
        throw new MedleyException(
            RunErrorCodes.RolesInvalid,
            problems.Count == 1
                ? $"{where} does not fit strategy '{strategy.Name}': {problems[0]}"
                : $"{where} does not fit strategy '{strategy.Name}':{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}",
            details: problems);
    }

    private static string Summary(StrategyRole role) => role.Summary is { Length: > 0 } summary ? $" ({summary})" : string.Empty;
}
