using Medley.Sdk.Decoding;

namespace Medley.Sdk.Testing;

/// <summary>Builds token-level members from the kit's in-memory models.</summary>
public static class ConformanceMembers
{
    /// <summary>The role of each member a check creates for a strategy's declared roles: one per role, two for a role that takes several.</summary>
    /// <param name="roles">The roles the strategy declares (its manifest's <c>roles</c>).</param>
    /// <returns>One role name per member, in declaration order.</returns>
    public static IReadOnlyList<string> RoleNames(IReadOnlyList<StrategyRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.SelectMany(r => r.Multiple ? new[] { r.Name, r.Name } : [r.Name]).ToList();
    }

    /// <summary>One member per role name, each a <see cref="ConformanceLanguageModel"/> with its own seed and a shared vocabulary.</summary>
    /// <param name="roleNames">The role of each member.</param>
    /// <param name="parameters">Every member's parameters; empty when <see langword="null"/>.</param>
    /// <param name="endOfSequenceAtLength">Passed to every model: the session length from which end-of-sequence dominates.</param>
    /// <returns>The members.</returns>
    public static IReadOnlyList<DecodingMember> Create(IReadOnlyList<string> roleNames, StrategyParameters? parameters = null, int? endOfSequenceAtLength = null)
    {
        ArgumentNullException.ThrowIfNull(roleNames);
        return roleNames
            .Select((role, i) => new DecodingMember(
                role,
                $"{role}-{i}",
                new ConformanceLanguageModel($"{role}-{i}", (ulong)(1000 + i), endOfSequenceAtLength),
                parameters ?? StrategyParameters.Empty))
            .ToList();
    }
}
